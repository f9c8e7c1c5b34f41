package dev.presence.presence;

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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link SessionSlotStore} contract, run against every adapter: what {@link PresenceService#join}, the
 * sweeper and the batched renewal rely on to hold each user to its session limit. Every call goes through
 * {@link ContextCalls}, so each test also checks that the future completed on the caller's context.
 *
 * <p>Time: slot validity is decided by the {@code now} each call passes, so tests cross a lease by passing
 * a later {@code now} ({@link #clock}), never by waiting. Only the map TTL (garbage collection of idle users)
 * runs on the store's own clock.
 */
@ExtendWith(VertxExtension.class)
public abstract class SessionSlotStoreContract {

  private static final long TTL_MS = 30_000;
  private static final int MAX = 3;

  protected Vertx vertx;
  protected MutableClock clock;
  protected SessionSlotStore slots;

  /**
   * @param vertx the test's Vert.x instance
   * @param clock the clock the store's map TTLs should run on, if the store takes one
   * @return the adapter under test, empty
   */
  protected abstract SessionSlotStore createStore(Vertx vertx, MutableClock clock);

  @BeforeEach
  void createStore(Vertx vertx) {
    this.vertx = vertx;
    this.clock = new MutableClock(System.currentTimeMillis());
    this.slots = createStore(vertx, clock);
  }

  @AfterEach
  void closeStore() throws Exception {
    if (slots instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Test
  public void a_user_is_admitted_up_to_the_limit_and_refused_beyond_it_with_the_live_count() {
    long now = clock.millis();
    for (int i = 1; i <= MAX; i++) {
      assertThat(admit("alice", "s-" + i, "node-a", now)).isEqualTo(new SlotAdmission.Admitted(i));
    }

    assertThat(admit("alice", "s-4", "node-b", now)).isEqualTo(new SlotAdmission.Refused(MAX));

    assertThat(live("alice", now)).containsExactlyInAnyOrder("s-1", "s-2", "s-3");
    assertThat(admit("bob", "s-b", "node-a", now)).as("another user counts apart")
        .isEqualTo(new SlotAdmission.Admitted(1));
  }

  @Test
  public void admitting_a_session_that_holds_a_slot_again_is_idempotent_even_at_the_limit() {
    long now = clock.millis();
    for (int i = 1; i <= MAX; i++) {
      admit("alice", "s-" + i, "node-a", now);
    }

    assertThat(admit("alice", "s-2", "node-a", now + 1_000)).as("a retried admit takes no second slot")
        .isEqualTo(new SlotAdmission.Admitted(MAX));

    assertThat(live("alice", now + 1_000)).hasSize(MAX);
    assertThat(live("alice", now + TTL_MS + 500)).as("the retry restarted that slot's lease")
        .containsExactly("s-2");
  }

  @Test
  public void release_frees_a_slot_for_the_next_session_and_reports_whether_one_was_held() {
    long now = clock.millis();
    for (int i = 1; i <= MAX; i++) {
      admit("alice", "s-" + i, "node-a", now);
    }

    assertThat(call(vertx, () -> slots.release("alice", "s-2", now))).isTrue();
    assertThat(call(vertx, () -> slots.release("alice", "s-2", now))).as("second release").isFalse();
    assertThat(call(vertx, () -> slots.release("nobody", "s-x", now))).as("unknown user").isFalse();

    assertThat(admit("alice", "s-4", "node-b", now)).isEqualTo(new SlotAdmission.Admitted(MAX));
    assertThat(live("alice", now)).containsExactlyInAnyOrder("s-1", "s-3", "s-4");
  }

  @Test
  public void slots_whose_lease_ran_out_are_pruned_before_counting() {
    long start = clock.millis();
    admit("alice", "s-dead-1", "node-gone", start);
    admit("alice", "s-dead-2", "node-gone", start);
    admit("alice", "s-alive", "node-a", start + 10_000);

    long later = start + TTL_MS; // the dead slots' leases end exactly now; s-alive's has 10 s left
    assertThat(live("alice", later)).containsExactly("s-alive");
    assertThat(admit("alice", "s-new-1", "node-a", later)).isEqualTo(new SlotAdmission.Admitted(2));
    assertThat(admit("alice", "s-new-2", "node-a", later)).isEqualTo(new SlotAdmission.Admitted(MAX));
    assertThat(admit("alice", "s-new-3", "node-a", later)).isEqualTo(new SlotAdmission.Refused(MAX));
  }

  @Test
  public void renewAll_keeps_the_nodes_slots_alive_and_never_touches_other_nodes_or_released_slots() {
    long start = clock.millis();
    admit("alice", "s-a1", "node-a", start);
    admit("alice", "s-b1", "node-b", start);
    admit("bob", "s-a2", "node-a", start);
    admit("carol", "s-a3", "node-a", start);
    call(vertx, () -> slots.release("carol", "s-a3", start));

    long renewedAt = start + TTL_MS - 1;
    call(vertx, () -> slots.renewAll(Set.of("alice", "bob", "carol", "nobody"), "node-a", renewedAt, TTL_MS));

    long afterFirstLease = start + TTL_MS + 1;
    assertThat(live("alice", afterFirstLease)).as("node-b did not renew its slot").containsExactly("s-a1");
    assertThat(live("bob", afterFirstLease)).containsExactly("s-a2");
    assertThat(live("carol", afterFirstLease)).as("renewal never recreates a released slot").isEmpty();
    assertThat(live("nobody", afterFirstLease)).isEmpty();
    assertThat(live("alice", renewedAt + TTL_MS)).as("the renewed lease ends one TTL after renewal").isEmpty();
  }

  @Test
  public void renewAll_of_no_users_does_nothing() {
    call(vertx, () -> slots.renewAll(Set.of(), "node-a", clock.millis(), TTL_MS));
  }

  @Test
  public void an_idle_users_entry_disappears_from_the_map_once_its_last_slot_has_run_out() {
    long start = clock.millis();
    call(vertx, () -> slots.acquire("alice", "s-1", "node-a", MAX, start, 1_500));
    assertThat(live("alice", start)).containsExactly("s-1");

    clock.advance(1_501);

    // Asked with the old time, the slot would still count: only the map TTL can have removed it.
    await("alice's entry expired").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(live("alice", start)).isEmpty());
  }

  @Test
  public void every_future_completes_on_the_callers_context(VertxTestContext test) {
    Context caller = vertx.getOrCreateContext();
    long now = clock.millis();
    caller.runOnContext(v -> onCaller(test, caller, slots.acquire("alice", "s-1", "node-a", MAX, now, TTL_MS))
        .compose(x -> onCaller(test, caller, slots.renewAll(Set.of("alice"), "node-a", now, TTL_MS)))
        .compose(x -> onCaller(test, caller, slots.liveSessions("alice", now)))
        .compose(x -> onCaller(test, caller, slots.release("alice", "s-1", now)))
        .onComplete(test.succeedingThenComplete()));
  }

  private SlotAdmission admit(String user, String session, String node, long now) {
    return call(vertx, () -> slots.acquire(user, session, node, MAX, now, TTL_MS));
  }

  private Set<String> live(String user, long now) {
    return call(vertx, () -> slots.liveSessions(user, now));
  }

  private static <T> Future<T> onCaller(VertxTestContext test, Context caller, Future<T> call) {
    return call.map(value -> {
      test.verify(() -> assertThat(Vertx.currentContext()).as("completing context (thread %s)",
          Thread.currentThread().getName()).isSameAs(caller));
      return value;
    });
  }
}
