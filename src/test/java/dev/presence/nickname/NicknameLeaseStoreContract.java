package dev.presence.nickname;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.testing.ContextCalls;
import dev.presence.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link NicknameLeaseStore} contract, run against every adapter: each operation applies the
 * {@link NickLeasePolicy} atomically per nickname, and the store forgets a lease once its lifetime has passed.
 * Every call goes through {@link ContextCalls}, so each test also checks that the future completed on the
 * caller's context.
 *
 * <p>Time: {@link #clock} starts at the wall time and gives every {@code now}; map TTLs run on the store's
 * own time (the same manual clock for the in-memory store, real time for a member), and {@link #letTimePass}
 * moves both.
 */
@ExtendWith(VertxExtension.class)
public abstract class NicknameLeaseStoreContract {

  private static final long LEASE_TTL_MS = 60_000;
  /**
   * A grace period that tests cross. Above one second on purpose: Hazelcast 5.3 keeps expiry times in whole
   * seconds, rounded down (hazelcast/hazelcast#14697), so a map entry lives between {@code ttl - 999} and
   * {@code ttl} ms; with a sub-second grace the reservation may already be forgotten at the next claim.
   */
  private static final long SHORT_GRACE_MS = 1_500;
  /** The tombstone TTL the store is created with; see {@link #SHORT_GRACE_MS} for why above one second. */
  protected static final long TOMBSTONE_TTL_MS = 2_000;
  private static final Duration EXPIRY_WAIT = Duration.ofSeconds(10);

  protected Vertx vertx;
  protected MutableClock clock;
  protected NicknameLeaseStore store;

  /**
   * @param vertx          the test's Vert.x instance
   * @param clock          the clock the store's TTLs should run on, if the store takes one
   * @param tombstoneTtlMs how long a released nickname keeps its fencing token (ms)
   * @return the adapter under test, empty
   */
  protected abstract NicknameLeaseStore createStore(Vertx vertx, MutableClock clock, long tombstoneTtlMs);

  /** Waits {@code ms} of real time if the store's TTLs run on real time; does nothing otherwise. */
  protected abstract void passRealTime(long ms);

  @BeforeEach
  void createStore(Vertx vertx) {
    this.vertx = vertx;
    this.clock = new MutableClock(System.currentTimeMillis());
    this.store = createStore(vertx, clock, TOMBSTONE_TTL_MS);
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  // ---- claim -------------------------------------------------------------------------------------------

  @Test
  public void a_free_nickname_is_granted_with_a_fresh_lease() {
    long now = clock.millis();

    ClaimOutcome outcome = claim("alice", "Alice", ALICE_1, now);

    NickLease lease = granted(outcome, null);
    assertThat(lease.key()).isEqualTo("alice");
    assertThat(lease.nick()).isEqualTo("Alice");
    assertThat(lease.holder()).isEqualTo(ALICE_1);
    assertThat(lease.state()).isEqualTo(NickLeaseState.HELD);
    assertThat(lease.expiresAt()).isEqualTo(now + LEASE_TTL_MS);
    assertThat(lease.fencingToken()).isGreaterThanOrEqualTo(now * 1_000);
    assertThat(get("alice")).contains(lease);
  }

  @Test
  public void another_user_finds_a_held_nickname_taken() {
    NickLease held = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);

    ClaimOutcome outcome = claim("alice", "ALICE", BOB_1, clock.millis());

    assertThat(outcome).isEqualTo(new ClaimOutcome.Taken(held));
    assertThat(get("alice")).contains(held);
  }

  @Test
  public void the_holding_session_claiming_again_keeps_its_token() {
    NickLease first = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long later = clock.advance(1_000);

    NickLease again = granted(claim("alice", "Alice", ALICE_1, later), null);

    assertThat(again.fencingToken()).isEqualTo(first.fencingToken());
    assertThat(again.expiresAt()).isEqualTo(later + LEASE_TTL_MS);
  }

  @Test
  public void a_newer_session_of_the_same_user_takes_over_and_displaces_the_older_one() {
    NickLease first = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);

    NickLease takeover = granted(claim("alice", "Alice", ALICE_2, clock.millis()), ALICE_1.session());

    assertThat(takeover.holder()).isEqualTo(ALICE_2);
    assertThat(takeover.fencingToken()).isGreaterThan(first.fencingToken());
    assertThat(get("alice")).contains(takeover);
  }

  // ---- release -----------------------------------------------------------------------------------------

  @Test
  public void release_by_the_holder_frees_the_nickname_for_anyone() {
    granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long now = clock.millis();

    assertThat(call(vertx, () -> store.release("alice", ALICE_1.session(), now))).isTrue();

    assertThat(get("alice")).hasValueSatisfying(lease -> {
      assertThat(lease.state()).isEqualTo(NickLeaseState.RELEASED);
      assertThat(lease.isFree(now)).isTrue();
    });
    granted(claim("alice", "Alice", BOB_1, now), null);
  }

  @Test
  public void release_by_a_session_that_does_not_hold_the_nickname_changes_nothing() {
    NickLease held = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);

    assertThat(call(vertx, () -> store.release("alice", BOB_1.session(), clock.millis()))).isFalse();
    assertThat(call(vertx, () -> store.release("alice", ALICE_2.session(), clock.millis())))
        .as("same user, other session").isFalse();
    assertThat(call(vertx, () -> store.release("nobody", ALICE_1.session(), clock.millis()))).isFalse();

    assertThat(get("alice")).contains(held);
    assertThat(get("nobody")).as("no entry is created").isEmpty();
  }

  @Test
  public void a_released_nickname_is_forgotten_when_its_tombstone_ttl_passes() {
    granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    assertThat(call(vertx, () -> store.release("alice", ALICE_1.session(), clock.millis()))).isTrue();
    assertThat(get("alice")).isPresent();

    letTimePass(TOMBSTONE_TTL_MS + 100);

    awaitForgotten("alice");
  }

  // ---- grace period ------------------------------------------------------------------------------------

  @Test
  public void grace_reserves_the_nickname_for_its_user_only() {
    NickLease held = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long now = clock.millis();

    assertThat(call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), now, SHORT_GRACE_MS))).isTrue();

    assertThat(get("alice")).hasValueSatisfying(lease -> {
      assertThat(lease.state()).isEqualTo(NickLeaseState.GRACE);
      assertThat(lease.expiresAt()).isEqualTo(now + SHORT_GRACE_MS);
    });
    assertThat(claim("alice", "Alice", BOB_1, now)).isInstanceOf(ClaimOutcome.Taken.class);
    NickLease back = granted(claim("alice", "Alice", ALICE_2, now), null);
    assertThat(back.fencingToken()).isGreaterThan(held.fencingToken());
  }

  @Test
  public void a_session_cut_off_and_still_connected_takes_back_its_own_grace_with_a_new_token() {
    NickLease held = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long now = clock.millis();
    call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), now, LEASE_TTL_MS));

    NickLease back = granted(call(vertx, () -> store.reclaim("alice", "Alice", ALICE_1, now, LEASE_TTL_MS)), null);

    assertThat(back.state()).isEqualTo(NickLeaseState.HELD);
    assertThat(back.holder()).isEqualTo(ALICE_1);
    assertThat(back.fencingToken()).isGreaterThan(held.fencingToken());
    assertThat(get("alice")).contains(back);
  }

  @Test
  public void a_reclaim_never_displaces_another_session_even_of_the_same_user() {
    granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long now = clock.millis();
    call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), now, LEASE_TTL_MS));
    NickLease newer = granted(claim("alice", "Alice", ALICE_2, now), null); // the user reconnected elsewhere

    assertThat(call(vertx, () -> store.reclaim("alice", "Alice", ALICE_1, now, LEASE_TTL_MS)))
        .isInstanceOf(ClaimOutcome.Taken.class);
    assertThat(call(vertx, () -> store.reclaim("alice", "Alice", BOB_1, now, LEASE_TTL_MS)))
        .isInstanceOf(ClaimOutcome.Taken.class);
    assertThat(get("alice")).contains(newer);
  }

  @Test
  public void a_reclaim_of_a_free_nickname_is_granted_and_of_a_held_one_keeps_the_token() {
    NickLease fresh = granted(call(vertx, () -> store.reclaim("bob", "Bob", BOB_1, clock.millis(), LEASE_TTL_MS)),
        null);
    NickLease again = granted(call(vertx, () -> store.reclaim("bob", "Bob", BOB_1, clock.millis(), LEASE_TTL_MS)),
        null);

    assertThat(again.fencingToken()).isEqualTo(fresh.fencingToken());
  }

  @Test
  public void enterGrace_by_a_session_that_does_not_hold_the_nickname_changes_nothing() {
    NickLease held = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);

    assertThat(call(vertx, () -> store.enterGrace("alice", ALICE_2.session(), clock.millis(), LEASE_TTL_MS)))
        .isFalse();
    assertThat(call(vertx, () -> store.enterGrace("nobody", ALICE_1.session(), clock.millis(), LEASE_TTL_MS)))
        .isFalse();

    assertThat(get("alice")).contains(held);
    assertThat(get("nobody")).isEmpty();
  }

  @Test
  public void an_end_judged_after_the_lease_ran_out_still_reserves_the_nickname_nobody_took() {
    NickLease held = granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long lateEnd = held.expiresAt() + 500; // a sweep that found the stale session as its lease ran out

    assertThat(call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), lateEnd, LEASE_TTL_MS))).isTrue();

    assertThat(claim("alice", "Alice", BOB_1, lateEnd + 1)).isInstanceOf(ClaimOutcome.Taken.class);
    assertThat(get("alice")).hasValueSatisfying(lease -> assertThat(lease.isInGraceFor(ALICE_1.session(), lateEnd + 1))
        .isTrue());
  }

  @Test
  public void after_the_grace_period_anyone_may_claim_even_before_the_store_forgets_it() {
    granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    long now = clock.millis();
    assertThat(call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), now, LEASE_TTL_MS))).isTrue();

    assertThat(claim("alice", "Alice", BOB_1, now + LEASE_TTL_MS - 1)).isInstanceOf(ClaimOutcome.Taken.class);
    NickLease bobs = granted(claim("alice", "Alice", BOB_1, now + LEASE_TTL_MS), null);

    assertThat(bobs.holder()).isEqualTo(BOB_1);
  }

  @Test
  public void an_ended_grace_period_is_forgotten_and_the_nickname_free() {
    granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    assertThat(call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), clock.millis(), SHORT_GRACE_MS)))
        .isTrue();
    assertThat(claim("alice", "Alice", BOB_1, clock.millis())).isInstanceOf(ClaimOutcome.Taken.class);

    letTimePass(SHORT_GRACE_MS + 100);

    awaitForgotten("alice");
    granted(claim("alice", "Alice", BOB_1, clock.millis()), null);
  }

  // ---- batched renewal ---------------------------------------------------------------------------------

  @Test
  public void renewAll_renews_only_the_leases_held_by_the_nodes_sessions() {
    long now = clock.millis();
    NickLease a1 = granted(claim("a1", "A1", new NickHolder("s-a1", "u-a1", "node-a"), now), null);
    NickLease a2 = granted(claim("a2", "A2", new NickHolder("s-a2", "u-a2", "node-a"), now), null);
    NickLease b1 = granted(claim("b1", "B1", new NickHolder("s-b1", "u-b1", "node-b"), now), null);
    granted(claim("grace", "Grace", new NickHolder("s-g", "u-g", "node-a"), now), null);
    granted(claim("gone", "Gone", new NickHolder("s-r", "u-r", "node-a"), now), null);
    call(vertx, () -> store.enterGrace("grace", "s-g", now, LEASE_TTL_MS));
    call(vertx, () -> store.release("gone", "s-r", now));
    long later = clock.advance(5_000);

    Map<String, NickLease> renewed = call(vertx, () -> store.renewAll(
        Set.of("a1", "a2", "b1", "grace", "gone", "never-claimed"), "node-a", later, LEASE_TTL_MS));

    assertThat(renewed).containsOnlyKeys("a1", "a2");
    for (NickLease before : List.of(a1, a2)) {
      NickLease after = renewed.get(before.key());
      assertThat(after).isEqualTo(new NickLease(before.key(), before.nick(), before.holder(),
          before.fencingToken(), later + LEASE_TTL_MS, NickLeaseState.HELD));
      assertThat(get(before.key())).contains(after);
    }
    assertThat(get("b1")).as("another node's lease is untouched").contains(b1);
    assertThat(get("grace").orElseThrow().state()).isEqualTo(NickLeaseState.GRACE);
    assertThat(get("never-claimed")).isEmpty();
    assertThat(call(vertx, () -> store.renewAll(Set.of(), "node-a", later, LEASE_TTL_MS))).isEmpty();
  }

  // ---- fencing tokens ----------------------------------------------------------------------------------

  @Test
  public void fencing_tokens_strictly_increase_across_claims_releases_and_grace() {
    // One instant throughout: only the stored entry (lease or tombstone) can make the tokens grow.
    long now = clock.millis();
    long t1 = granted(claim("alice", "Alice", ALICE_1, now), null).fencingToken();
    assertThat(call(vertx, () -> store.release("alice", ALICE_1.session(), now))).isTrue();
    long t2 = granted(claim("alice", "Alice", BOB_1, now), null).fencingToken();
    assertThat(call(vertx, () -> store.enterGrace("alice", BOB_1.session(), now, LEASE_TTL_MS))).isTrue();
    long t3 = granted(claim("alice", "Alice", BOB_2, now), null).fencingToken();
    assertThat(call(vertx, () -> store.release("alice", BOB_2.session(), now))).isTrue();
    long t4 = granted(claim("alice", "Alice", ALICE_1, now), null).fencingToken();

    assertThat(List.of(t1, t2, t3, t4)).isSorted().doesNotHaveDuplicates();
  }

  // ---- a user's leases (the grace-lease cap) ------------------------------------------------------------

  @Test
  public void findByUser_returns_every_lease_last_held_by_the_users_sessions_in_any_state_and_no_other() {
    long now = clock.millis();
    NickLease held = granted(claim("alpha", "Alpha", ALICE_1, now), null);
    granted(claim("beta", "Beta", ALICE_2, now), null);
    assertThat(call(vertx, () -> store.enterGrace("beta", ALICE_2.session(), now, LEASE_TTL_MS))).isTrue();
    granted(claim("gamma", "Gamma", ALICE_2, now), null);
    assertThat(call(vertx, () -> store.release("gamma", ALICE_2.session(), now))).isTrue();
    granted(claim("bobby", "Bobby", BOB_1, now), null);

    List<NickLease> alices = call(vertx, () -> store.findByUser("alice"));

    assertThat(alices).extracting(NickLease::key).containsExactlyInAnyOrder("alpha", "beta", "gamma");
    assertThat(alices).filteredOn(lease -> lease.key().equals("alpha")).containsExactly(held);
    assertThat(alices).filteredOn(lease -> lease.key().equals("beta")).singleElement()
        .satisfies(lease -> assertThat(lease.state()).isEqualTo(NickLeaseState.GRACE));
    assertThat(call(vertx, () -> store.findByUser("nobody"))).isEmpty();
  }

  @Test
  public void findByUser_no_longer_returns_a_lease_the_store_has_forgotten() {
    granted(claim("alice", "Alice", ALICE_1, clock.millis()), null);
    assertThat(call(vertx, () -> store.enterGrace("alice", ALICE_1.session(), clock.millis(), SHORT_GRACE_MS)))
        .isTrue();

    letTimePass(SHORT_GRACE_MS + 100);

    awaitForgotten("alice");
    assertThat(call(vertx, () -> store.findByUser("alice"))).isEmpty();
  }

  // ---- concurrency and threading -----------------------------------------------------------------------

  @Test
  public void of_fifty_concurrent_claims_by_fifty_users_exactly_one_is_granted() {
    long now = clock.millis();
    List<CompletableFuture<ClaimOutcome>> claims = IntStream.range(0, 50)
        .mapToObj(i -> new NickHolder("s-" + i, "user-" + i, "node-" + (i % 3)))
        .map(holder -> ContextCalls.start(vertx.getOrCreateContext(),
            () -> store.acquire("alice", "Alice", holder, now, LEASE_TTL_MS)))
        .toList();

    List<ClaimOutcome> outcomes = claims.stream().map(ContextCalls::join).toList();

    List<NickLease> winners = outcomes.stream().filter(ClaimOutcome.Granted.class::isInstance)
        .map(o -> ((ClaimOutcome.Granted) o).lease()).toList();
    assertThat(winners).hasSize(1);
    assertThat(outcomes).filteredOn(ClaimOutcome.Taken.class::isInstance).hasSize(49)
        .allSatisfy(o -> assertThat(((ClaimOutcome.Taken) o).lease()).isEqualTo(winners.get(0)));
    assertThat(get("alice")).contains(winners.get(0));
  }

  @Test
  public void every_future_completes_on_the_callers_context(VertxTestContext test) {
    Context caller = vertx.getOrCreateContext();
    long now = clock.millis();
    caller.runOnContext(v -> onCaller(test, caller, store.acquire("alice", "Alice", ALICE_1, now, LEASE_TTL_MS))
        .compose(x -> onCaller(test, caller, store.get("alice")))
        .compose(x -> onCaller(test, caller, store.renewAll(Set.of("alice"), "node-a", now, LEASE_TTL_MS)))
        .compose(x -> onCaller(test, caller, store.enterGrace("alice", ALICE_1.session(), now, LEASE_TTL_MS)))
        .compose(x -> onCaller(test, caller, store.acquire("alice", "Alice", ALICE_2, now, LEASE_TTL_MS)))
        .compose(x -> onCaller(test, caller, store.release("alice", ALICE_2.session(), now)))
        .onComplete(test.succeedingThenComplete()));
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private static final NickHolder ALICE_1 = new NickHolder("s-alice-1", "alice", "node-a");
  private static final NickHolder ALICE_2 = new NickHolder("s-alice-2", "alice", "node-b");
  private static final NickHolder BOB_1 = new NickHolder("s-bob-1", "bob", "node-a");
  private static final NickHolder BOB_2 = new NickHolder("s-bob-2", "bob", "node-b");

  private ClaimOutcome claim(String key, String nick, NickHolder claimant, long now) {
    return call(vertx, () -> store.acquire(key, nick, claimant, now, LEASE_TTL_MS));
  }

  private static NickLease granted(ClaimOutcome outcome, String displacedSession) {
    assertThat(outcome).isInstanceOf(ClaimOutcome.Granted.class);
    ClaimOutcome.Granted granted = (ClaimOutcome.Granted) outcome;
    assertThat(granted.displacedSession()).as("displaced session").isEqualTo(displacedSession);
    return granted.lease();
  }

  private Optional<NickLease> get(String key) {
    return call(vertx, () -> store.get(key));
  }

  /** Moves {@link #clock} and the store's TTL time forward by {@code ms}. */
  private void letTimePass(long ms) {
    clock.advance(ms);
    passRealTime(ms);
  }

  private void awaitForgotten(String key) {
    await("lease " + key + " forgotten").atMost(EXPIRY_WAIT).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(get(key)).isEmpty());
  }

  private static <T> Future<T> onCaller(VertxTestContext test, Context caller, Future<T> call) {
    return call.map(value -> {
      test.verify(() -> assertThat(Vertx.currentContext()).as("completing context (thread %s)",
          Thread.currentThread().getName()).isSameAs(caller));
      return value;
    });
  }
}
