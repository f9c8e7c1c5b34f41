package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeaseState;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.session.LeaveReason;
import dev.presence.session.ResumeTokens;
import dev.presence.testing.ContextCalls;
import dev.presence.testing.InMemoryLastSeenStore;
import dev.presence.testing.InMemoryRoomOccupancyStore;
import dev.presence.testing.MutableClock;
import dev.presence.testing.RecordingPresenceChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link PresenceStore} contract, run against every adapter: what the service and the
 * {@link StaleSessionSweeper} rely on. Every call goes through {@link ContextCalls}, so each test also checks
 * that the future completed on the caller's context.
 *
 * <p>Time: {@link #clock} starts at the wall time and gives every {@code now}; TTLs run on the store's own
 * time (the same manual clock for the in-memory store, real time for a member), and {@link #letTimePass}
 * moves both.
 */
@ExtendWith(VertxExtension.class)
public abstract class PresenceStoreContract {

  /** A TTL no test outlives. */
  protected static final long LONG_TTL_MS = 60_000;
  /**
   * A TTL that tests cross. Above one second on purpose: Hazelcast 5.3 keeps expiry times in whole seconds,
   * rounded down (hazelcast/hazelcast#14697), so an entry lives between {@code ttl - 999} and {@code ttl} ms
   * and one with a sub-second TTL may be gone by the next read. 1.5 s is sure to outlive the first reads.
   */
  protected static final long SHORT_TTL_MS = 1_500;
  private static final long STALE_AFTER_MS = 10_000;
  private static final long NICK_GRACE_MS = 30_000;
  private static final Duration EXPIRY_WAIT = Duration.ofSeconds(10);

  protected Vertx vertx;
  protected MutableClock clock;
  protected PresenceStore store;
  protected NicknameLeaseStore nicknames;
  protected SessionSlotStore slots;
  /** The sweeper's last-seen collaborator (its own contract is LastSeenStoreContract): in memory for every adapter. */
  protected InMemoryLastSeenStore lastSeen;
  /** The end path's room collaborator (its own contract is RoomStoreContract): in memory for every adapter. */
  protected InMemoryRoomOccupancyStore rooms;

  /**
   * @param vertx the test's Vert.x instance
   * @param clock the clock the store's TTLs should run on, if the store takes one
   * @return the adapter under test, empty
   */
  protected abstract PresenceStore createStore(Vertx vertx, MutableClock clock);

  /** @return the matching nickname adapter (for the sweeper's grace step), empty */
  protected abstract NicknameLeaseStore createNicknameStore(Vertx vertx, MutableClock clock);

  /** @return the matching session-slot adapter (the sweeper releases removed sessions' slots), empty */
  protected abstract SessionSlotStore createSlotStore(Vertx vertx, MutableClock clock);

  /** Waits {@code ms} of real time if the store's TTLs run on real time; does nothing otherwise. */
  protected abstract void passRealTime(long ms);

  @BeforeEach
  void createStores(Vertx vertx) {
    this.vertx = vertx;
    this.clock = new MutableClock(System.currentTimeMillis());
    this.store = createStore(vertx, clock);
    this.nicknames = createNicknameStore(vertx, clock);
    this.slots = createSlotStore(vertx, clock);
    this.lastSeen = new InMemoryLastSeenStore(vertx, clock);
    this.rooms = new InMemoryRoomOccupancyStore(vertx);
  }

  @AfterEach
  void closeStores() throws Exception {
    for (Object port : List.of(store, nicknames, slots, lastSeen, rooms)) {
      if (port instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  // ---- single-entry operations -------------------------------------------------------------------------

  @Test
  public void put_then_get_returns_the_entry() {
    PresenceEntry alice = entry("s-1", "alice", "node-a", clock.millis());

    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));

    assertThat(get("s-1")).contains(alice);
    assertThat(get("s-unknown")).isEmpty();
  }

  @Test
  public void remove_returns_the_entry_once_and_then_nothing() {
    PresenceEntry alice = entry("s-1", "alice", "node-a", clock.millis());
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));

    assertThat(call(vertx, () -> store.remove("s-1"))).contains(alice);
    assertThat(call(vertx, () -> store.remove("s-1"))).as("second remove: another node got there first")
        .isEmpty();
    assertThat(get("s-1")).isEmpty();
  }

  @Test
  public void setNick_shows_the_nickname_and_keeps_the_rest_of_the_entry() {
    PresenceEntry alice = entry("s-1", "alice", "node-a", clock.millis());
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));

    assertThat(call(vertx, () -> store.setNick("s-1", "Alice", "alice"))).isTrue();

    assertThat(get("s-1")).contains(alice.withNick("Alice", "alice"));
    assertThat(call(vertx, () -> store.setNick("s-1", null, null))).isTrue();
    assertThat(get("s-1").orElseThrow().nick()).isNull();
  }

  @Test
  public void setStatus_changes_the_status_keeps_the_rest_and_returns_the_entry() {
    PresenceEntry alice = entry("s-1", "alice", "node-a", clock.millis());
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));
    SessionStatus away = new SessionStatus(Availability.AWAY, "{\"text\":\"lunch\"}", false);

    assertThat(call(vertx, () -> store.setStatus("s-1", away))).contains(alice.withStatus(away));

    assertThat(get("s-1")).contains(alice.withStatus(away));
    assertThat(call(vertx, () -> store.setStatus("s-ghost", away))).isEmpty();
    assertThat(get("s-ghost")).isEmpty();
  }

  @Test
  public void a_held_session_resumes_once_on_another_node_and_a_stale_hold_end_removes_nothing() {
    long now = clock.millis();
    PresenceEntry alice = PresenceEntry.joined("s-1", "alice", "node-a", now);
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));

    PresenceEntry held = call(vertx, () -> store.hold("s-1", now + 5_000, LONG_TTL_MS)).orElseThrow();
    assertThat(held.heldUntil()).isEqualTo(now + 5_000);
    assertThat(call(vertx, () -> store.hold("s-1", now + 9_000, LONG_TTL_MS))).as("held once").isEmpty();
    ResumeTokens.Claim forged = new ResumeTokens.Claim("mallory", "s-1", alice.resumeGeneration(), now + 60_000);
    assertThat(call(vertx, () -> store.resume(forged, "node-b", now, LONG_TTL_MS)))
        .as("only its own user resumes it").isEqualTo(refused(ResumeOutcome.Reason.OTHER_USER));

    ResumeOutcome outcome = call(vertx, () -> store.resume(claim(alice), "node-b", now + 1, LONG_TTL_MS));
    PresenceEntry resumed = ((ResumeOutcome.Resumed) outcome).entry();
    assertThat(resumed.node()).isEqualTo("node-b");
    assertThat(resumed.isHeld()).isFalse();
    assertThat(call(vertx, () -> store.removeIfHeld("s-1", now + 5_000))).as("the old hold's end").isEmpty();
    assertThat(get("s-1")).contains(resumed);
  }

  @Test
  public void a_resume_token_resumes_once_and_a_replay_is_refused_even_once_the_session_is_held_again() {
    long now = clock.millis();
    PresenceEntry alice = PresenceEntry.joined("s-1", "alice", "node-a", now);
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));
    call(vertx, () -> store.hold("s-1", now + 5_000, LONG_TTL_MS));
    ResumeTokens.Claim first = claim(alice);
    PresenceEntry resumed = ((ResumeOutcome.Resumed) call(vertx,
        () -> store.resume(first, "node-b", now + 1, LONG_TTL_MS))).entry();

    assertThat(call(vertx, () -> store.resume(first, "node-c", now + 2, LONG_TTL_MS)))
        .as("replayed while the session is connected again").isEqualTo(refused(ResumeOutcome.Reason.USED));
    call(vertx, () -> store.hold("s-1", now + 9_000, LONG_TTL_MS));
    assertThat(call(vertx, () -> store.resume(first, "node-c", now + 3, LONG_TTL_MS)))
        .as("replayed once the session is held again").isEqualTo(refused(ResumeOutcome.Reason.USED));
    assertThat(get("s-1").orElseThrow().node()).as("the replays changed nothing").isEqualTo("node-b");

    ResumeOutcome newest = call(vertx, () -> store.resume(claim(resumed), "node-c", now + 4, LONG_TTL_MS));
    assertThat(newest).isInstanceOf(ResumeOutcome.Resumed.class);
    assertThat(get("s-1").orElseThrow().node()).as("the token of the latest welcome resumes it").isEqualTo("node-c");
  }

  @Test
  public void a_connected_or_missing_session_and_an_expired_token_resume_nothing() {
    long now = clock.millis();
    PresenceEntry alice = PresenceEntry.joined("s-1", "alice", "node-a", now);
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));

    assertThat(call(vertx, () -> store.resume(claim(alice), "node-b", now, LONG_TTL_MS)))
        .as("connected: its drop is not noticed yet").isEqualTo(refused(ResumeOutcome.Reason.NOT_HELD));
    ResumeTokens.Claim ghost = new ResumeTokens.Claim("alice", "s-ghost", 1, now + 60_000);
    assertThat(call(vertx, () -> store.resume(ghost, "node-b", now, LONG_TTL_MS)))
        .isEqualTo(refused(ResumeOutcome.Reason.NOT_HELD));
    assertThat(get("s-ghost")).as("a refused resume creates nothing").isEmpty();

    PresenceEntry held = call(vertx, () -> store.hold("s-1", now + 5_000, LONG_TTL_MS)).orElseThrow();
    ResumeTokens.Claim expiring = new ResumeTokens.Claim("alice", "s-1", alice.resumeGeneration(), now + 10);
    assertThat(call(vertx, () -> store.resume(expiring, "node-b", now + 10, LONG_TTL_MS)))
        .isEqualTo(refused(ResumeOutcome.Reason.EXPIRED));
    assertThat(get("s-1")).as("still held for a valid token").contains(held);
  }

  @Test
  public void every_change_but_a_resume_keeps_the_resume_generation_and_a_resume_moves_it_on() {
    long now = clock.millis();
    PresenceEntry alice = PresenceEntry.joined("s-1", "alice", "node-a", now);
    long generation = alice.resumeGeneration();
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));
    call(vertx, () -> store.setNick("s-1", "Alice", "alice"));
    call(vertx, () -> store.setStatus("s-1", new SessionStatus(Availability.DND, null, true)));
    call(vertx, () -> store.renewAll(Set.of("s-1"), "node-a", now + 1, LONG_TTL_MS));
    call(vertx, () -> store.hold("s-1", now + 5_000, LONG_TTL_MS));
    assertThat(get("s-1").orElseThrow().resumeGeneration()).isEqualTo(generation);

    ResumeOutcome outcome = call(vertx, () -> store.resume(claim(alice), "node-b", now + 2, LONG_TTL_MS));

    assertThat(((ResumeOutcome.Resumed) outcome).entry().resumeGeneration()).isEqualTo(generation + 1);
    assertThat(get("s-1").orElseThrow().resumeGeneration()).isEqualTo(generation + 1);
  }

  @Test
  public void the_end_of_a_hold_removes_the_session_it_still_holds() {
    long now = clock.millis();
    call(vertx, () -> store.acquire(entry("s-2", "bob", "node-a", now), LONG_TTL_MS));
    call(vertx, () -> store.hold("s-2", now + 5_000, LONG_TTL_MS));

    assertThat(call(vertx, () -> store.removeIfHeld("s-2", now + 5_000))).map(PresenceEntry::session)
        .contains("s-2");
    assertThat(get("s-2")).isEmpty();
    assertThat(call(vertx, () -> store.hold("s-ghost", now + 5_000, LONG_TTL_MS))).isEmpty();
  }

  @Test
  public void setNick_on_a_missing_session_returns_false_and_creates_nothing() {
    assertThat(call(vertx, () -> store.setNick("s-ghost", "Ghost", "ghost"))).isFalse();
    assertThat(get("s-ghost")).isEmpty();
  }

  @Test
  public void setNick_keeps_the_remaining_ttl() {
    call(vertx, () -> store.acquire(entry("s-1", "alice", "node-a", clock.millis()), SHORT_TTL_MS));
    assertThat(call(vertx, () -> store.setNick("s-1", "Alice", "alice"))).isTrue();

    letTimePass(SHORT_TTL_MS + 100);

    awaitGone("s-1");
  }

  @Test
  public void an_entry_disappears_when_its_ttl_passes() {
    call(vertx, () -> store.acquire(entry("s-short", "alice", "node-a", clock.millis()), SHORT_TTL_MS));
    call(vertx, () -> store.acquire(entry("s-long", "bob", "node-a", clock.millis()), LONG_TTL_MS));
    assertThat(get("s-short")).isPresent();

    letTimePass(SHORT_TTL_MS + 100);

    awaitGone("s-short");
    assertThat(get("s-long")).isPresent();
    assertThat(call(vertx, () -> store.findByNode("node-a"))).extracting(PresenceEntry::session)
        .containsExactly("s-long");
  }

  // ---- batched renewal ---------------------------------------------------------------------------------

  @Test
  public void renewAll_renews_own_entries_and_reports_missing_and_foreign_ones_as_missing() {
    long start = clock.millis();
    PresenceEntry a = entry("s-a", "alice", "node-a", start);
    PresenceEntry b = entry("s-b", "bob", "node-a", start);
    PresenceEntry foreign = entry("s-c", "carol", "node-b", start);
    Stream.of(a, b, foreign).forEach(e -> call(vertx, () -> store.acquire(e, LONG_TTL_MS)));
    long renewedAt = clock.advance(1_000);

    Set<String> missing = call(vertx,
        () -> store.renewAll(Set.of("s-a", "s-b", "s-c", "s-ghost"), "node-a", renewedAt, LONG_TTL_MS));

    assertThat(missing).containsExactlyInAnyOrder("s-c", "s-ghost");
    for (PresenceEntry own : List.of(a, b)) {
      PresenceEntry renewed = get(own.session()).orElseThrow();
      assertThat(renewed.version()).isGreaterThan(own.version());
      assertThat(renewed.lastRenewedAt()).isEqualTo(renewedAt);
      assertThat(renewed).isEqualTo(own.renewed(renewedAt));
    }
    assertThat(get("s-c")).as("another node's entry is untouched").contains(foreign);
    assertThat(get("s-ghost")).as("renewal never recreates an evicted entry").isEmpty();
  }

  @Test
  public void renewAll_of_many_sessions_spread_over_every_partition_renews_each_and_reports_each_missing_one() {
    long start = clock.millis();
    List<String> own = java.util.stream.IntStream.range(0, 1_000).mapToObj(i -> "s-many-" + i).toList();
    own.forEach(session -> call(vertx, () -> store.acquire(entry(session, "u-" + session, "node-a", start),
        LONG_TTL_MS)));
    Set<String> asked = new java.util.HashSet<>(own);
    java.util.stream.IntStream.range(0, 100).forEach(i -> asked.add("s-gone-" + i));
    long renewedAt = clock.advance(1_000);

    Set<String> missing = call(vertx, () -> store.renewAll(asked, "node-a", renewedAt, LONG_TTL_MS));

    assertThat(missing).hasSize(100).allMatch(session -> session.startsWith("s-gone-"));
    assertThat(own).allSatisfy(session -> assertThat(get(session)).hasValueSatisfying(
        e -> assertThat(e.lastRenewedAt()).isEqualTo(renewedAt)));
  }

  @Test
  public void restore_writes_back_a_gone_entry_and_never_takes_one_another_node_owns() {
    long now = clock.millis();
    PresenceEntry alice = PresenceEntry.joined("s-1", "alice", "node-a", now - 1_000).renewed(now);

    assertThat(call(vertx, () -> store.restore(alice, LONG_TTL_MS))).as("gone: written back")
        .isEqualTo(RestoreResult.WRITTEN);
    assertThat(get("s-1")).contains(alice);
    assertThat(call(vertx, () -> store.restore(alice, LONG_TTL_MS))).as("ours already: renewed")
        .isEqualTo(RestoreResult.ALREADY_OURS);

    call(vertx, () -> store.acquire(entry("s-2", "bob", "node-b", now), LONG_TTL_MS));
    assertThat(call(vertx, () -> store.restore(entry("s-2", "bob", "node-a", now), LONG_TTL_MS)))
        .as("resumed on node-b meanwhile").isEqualTo(RestoreResult.MOVED);
    assertThat(get("s-2")).hasValueSatisfying(e -> assertThat(e.node()).isEqualTo("node-b"));
  }

  @Test
  public void renewAll_of_nothing_reports_nothing_missing() {
    assertThat(call(vertx, () -> store.renewAll(Set.of(), "node-a", clock.millis(), LONG_TTL_MS))).isEmpty();
  }

  @Test
  public void renewAll_restarts_the_ttl() {
    call(vertx, () -> store.acquire(entry("s-1", "alice", "node-a", clock.millis()), SHORT_TTL_MS));
    assertThat(call(vertx, () -> store.renewAll(Set.of("s-1"), "node-a", clock.millis(), LONG_TTL_MS)))
        .isEmpty();

    letTimePass(SHORT_TTL_MS + 100);

    assertThat(get("s-1")).as("renewed with a long TTL, so the short one no longer applies").isPresent();
  }

  // ---- compare-and-delete ------------------------------------------------------------------------------

  @Test
  public void removeIfUnchanged_removes_only_the_version_it_was_given() {
    PresenceEntry alice = entry("s-1", "alice", "node-a", clock.millis());
    call(vertx, () -> store.acquire(alice, LONG_TTL_MS));
    call(vertx, () -> store.setNick("s-1", "Alice", "alice"));

    assertThat(call(vertx, () -> store.removeIfUnchanged("s-1", alice.version())))
        .as("an older version than the stored one").isFalse();
    PresenceEntry current = get("s-1").orElseThrow();
    assertThat(current.version()).isEqualTo(alice.version() + 1);

    assertThat(call(vertx, () -> store.removeIfUnchanged("s-1", current.version()))).isTrue();
    assertThat(get("s-1")).isEmpty();
    assertThat(call(vertx, () -> store.removeIfUnchanged("s-1", current.version())))
        .as("already removed").isFalse();
  }

  // ---- queries -----------------------------------------------------------------------------------------

  @Test
  public void findStale_findByNode_and_findByUser_select_exactly_the_matching_entries() {
    long now = clock.millis();
    PresenceEntry old = entry("s-old", "alice", "node-a", now - 60_000);
    PresenceEntry recent = entry("s-recent", "alice", "node-b", now);
    PresenceEntry edge = entry("s-edge", "bob", "node-a", now - 5_000);
    Stream.of(old, recent, edge).forEach(e -> call(vertx, () -> store.acquire(e, LONG_TTL_MS)));

    assertThat(call(vertx, () -> store.findStale(now - 10_000))).containsExactly(old);
    assertThat(call(vertx, () -> store.findStale(now - 5_000))).as("the bound is exclusive")
        .containsExactly(old);
    assertThat(call(vertx, () -> store.findStale(now - 4_999))).containsExactlyInAnyOrder(old, edge);
    assertThat(call(vertx, () -> store.findByNode("node-a"))).containsExactlyInAnyOrder(old, edge);
    assertThat(call(vertx, () -> store.findByNode("node-z"))).isEmpty();
    assertThat(call(vertx, () -> store.findByUser("alice"))).containsExactlyInAnyOrder(old, recent);
    assertThat(call(vertx, () -> store.findByUser("nobody"))).isEmpty();
  }

  @Test
  public void findByUsers_reads_every_session_of_the_users_asked_for_and_no_other() {
    long now = clock.millis();
    PresenceEntry alice = entry("s-alice-1", "alice", "node-a", now);
    PresenceEntry aliceToo = entry("s-alice-2", "alice", "node-b", now);
    PresenceEntry bob = entry("s-bob", "bob", "node-b", now);
    PresenceEntry carol = entry("s-carol", "carol", "node-a", now);
    Stream.of(alice, aliceToo, bob, carol).forEach(e -> call(vertx, () -> store.acquire(e, LONG_TTL_MS)));

    assertThat(call(vertx, () -> store.findByUsers(Set.of("alice", "bob", "nobody"))))
        .containsExactlyInAnyOrder(alice, aliceToo, bob);
    assertThat(call(vertx, () -> store.findByUsers(Set.of("nobody")))).isEmpty();
    assertThat(call(vertx, () -> store.findByUsers(Set.of()))).isEmpty();
  }

  @Test
  public void findByUsers_of_a_thousand_users_finds_the_sessions_among_them_and_sees_later_changes() {
    long now = clock.millis();
    // Every tenth of the thousand users asked for is online; sessions of users not asked for stay out.
    Set<String> wanted = IntStream.range(0, 1_000).mapToObj(i -> "user-" + i).collect(Collectors.toSet());
    List<PresenceEntry> online = IntStream.range(0, 100)
        .mapToObj(i -> entry("s-" + i, "user-" + (10 * i), "node-a", now)).toList();
    online.forEach(e -> call(vertx, () -> store.acquire(e, LONG_TTL_MS)));
    call(vertx, () -> store.acquire(entry("s-outsider", "user-1000", "node-a", now), LONG_TTL_MS));

    assertThat(call(vertx, () -> store.findByUsers(wanted))).containsExactlyInAnyOrderElementsOf(online);

    // The index follows writes: a removed session is gone from the next read, a status change is in it.
    call(vertx, () -> store.remove("s-0"));
    call(vertx, () -> store.setStatus("s-1", new SessionStatus(Availability.AWAY, null, false)));
    assertThat(call(vertx, () -> store.findByUsers(Set.of("user-0", "user-10"))))
        .extracting(PresenceEntry::session, e -> e.status().availability())
        .containsExactly(tuple("s-1", Availability.AWAY));
  }

  @Test
  public void list_pages_through_every_entry_in_session_order() {
    List<String> sessions = putSessions(25);

    List<PresencePage> pages = listAll(10);

    assertThat(pages).extracting(p -> p.entries().size()).containsExactly(10, 10, 5);
    assertThat(pages.get(0).next()).isEqualTo("s-09");
    assertThat(pages.get(1).next()).isEqualTo("s-19");
    assertThat(pages.get(2).next()).as("last page").isNull();
    assertThat(pages.stream().flatMap(p -> p.entries().stream()).map(PresenceEntry::session))
        .containsExactlyElementsOf(sessions);
  }

  @Test
  public void list_of_a_multiple_of_the_page_size_ends_without_an_empty_page() {
    List<String> sessions = putSessions(20);

    List<PresencePage> pages = listAll(10);

    assertThat(pages).extracting(p -> p.entries().size()).containsExactly(10, 10);
    assertThat(pages.get(1).next()).isNull();
    assertThat(pages.stream().flatMap(p -> p.entries().stream()).map(PresenceEntry::session))
        .containsExactlyElementsOf(sessions);
    assertThat(call(vertx, () -> store.list("s-19", 10))).isEqualTo(new PresencePage(List.of(), null));
  }

  // ---- threading ---------------------------------------------------------------------------------------

  @Test
  public void every_future_completes_on_the_callers_context(VertxTestContext test) {
    Context caller = vertx.getOrCreateContext();
    PresenceEntry alice = entry("s-1", "alice", "node-a", clock.millis());
    caller.runOnContext(v -> onCaller(test, caller, store.acquire(alice, LONG_TTL_MS))
        .compose(x -> onCaller(test, caller, store.get("s-1")))
        .compose(x -> onCaller(test, caller, store.setNick("s-1", "Alice", "alice")))
        .compose(x -> onCaller(test, caller, store.renewAll(Set.of("s-1"), "node-a", clock.millis(), LONG_TTL_MS)))
        .compose(x -> onCaller(test, caller, store.findStale(clock.millis())))
        .compose(x -> onCaller(test, caller, store.findByNode("node-a")))
        .compose(x -> onCaller(test, caller, store.findByUser("alice")))
        .compose(x -> onCaller(test, caller, store.findByUsers(Set.of("alice", "bob"))))
        .compose(x -> onCaller(test, caller, store.list(null, 10)))
        .compose(x -> onCaller(test, caller, store.removeIfUnchanged("s-1", 0)))
        .compose(x -> onCaller(test, caller, store.remove("s-1")))
        .onComplete(test.succeedingThenComplete()));
  }

  // ---- the stale-session sweep -------------------------------------------------------------------------

  @Test
  public void sweep_never_removes_a_session_renewed_between_its_read_and_its_delete() {
    RecordingPresenceChannel channel = new RecordingPresenceChannel();
    StaleSessionSweeper sweeper = sweeper(channel);
    PresenceEntry paused = staleEntryHoldingNick("s-paused", "alice", "node-a", "Alice", "alice");

    List<PresenceEntry> candidates = call(vertx, sweeper::findStale);
    assertThat(candidates).containsExactly(paused);
    // The owner wakes from its pause and renews before the sweep deletes.
    assertThat(call(vertx, () -> store.renewAll(Set.of("s-paused"), "node-a", clock.millis(), LONG_TTL_MS)))
        .isEmpty();

    List<PresenceEntry> removed = call(vertx, () -> sweeper.evict(candidates, LeaveReason.EXPIRED));

    assertThat(removed).isEmpty();
    assertThat(get("s-paused")).hasValueSatisfying(e -> {
      assertThat(e.version()).isGreaterThan(paused.version());
      assertThat(e.lastRenewedAt()).isEqualTo(clock.millis());
    });
    assertThat(channel.events()).as("no leave for a live session").isEmpty();
    assertThat(channel.evictions()).isEmpty();
    assertThat(nick("alice")).hasValueSatisfying(lease -> {
      assertThat(lease.state()).isEqualTo(NickLeaseState.HELD);
      assertThat(lease.holder().session()).isEqualTo("s-paused");
    });
  }

  @Test
  public void sweep_removes_an_unchanged_stale_session_with_one_leave_one_eviction_and_nick_grace() {
    RecordingPresenceChannel channel = new RecordingPresenceChannel();
    StaleSessionSweeper sweeper = sweeper(channel);
    PresenceEntry dead = staleEntryHoldingNick("s-dead", "alice", "node-a", "Alice", "alice");
    PresenceEntry fresh = entry("s-fresh", "bob", "node-a", clock.millis());
    call(vertx, () -> store.acquire(fresh, LONG_TTL_MS));

    List<PresenceEntry> candidates = call(vertx, sweeper::findStale);
    List<PresenceEntry> removed = call(vertx, () -> sweeper.evict(candidates, LeaveReason.EXPIRED));

    assertThat(removed).containsExactly(dead);
    assertThat(get("s-dead")).isEmpty();
    assertThat(get("s-fresh")).contains(fresh);
    assertThat(channel.events()).singleElement().satisfies(leave -> {
      assertThat(leave.event()).isEqualTo("leave");
      assertThat(leave.session()).isEqualTo("s-dead");
      assertThat(leave.user()).isEqualTo("alice");
      assertThat(leave.nick()).isEqualTo("Alice");
      assertThat(leave.reason()).isEqualTo("expired");
      assertThat(leave.at()).isEqualTo(clock.millis());
    });
    assertThat(channel.evictions())
        .containsExactly(new RecordingPresenceChannel.Eviction("s-dead", LeaveReason.EXPIRED));
    assertThat(nick("alice")).hasValueSatisfying(lease -> {
      assertThat(lease.state()).isEqualTo(NickLeaseState.GRACE);
      assertThat(lease.holder().session()).isEqualTo("s-dead");
      assertThat(lease.expiresAt()).isEqualTo(clock.millis() + NICK_GRACE_MS);
    });
  }

  @Test
  public void two_sweepers_racing_on_the_same_candidates_remove_and_announce_each_session_once() {
    RecordingPresenceChannel channelA = new RecordingPresenceChannel();
    RecordingPresenceChannel channelB = new RecordingPresenceChannel();
    StaleSessionSweeper sweeperA = sweeper(channelA);
    StaleSessionSweeper sweeperB = sweeper(channelB);
    List<String> sessions = IntStream.range(0, 8).mapToObj(i -> "s-dead-" + i).toList();
    sessions.forEach(s -> staleEntryHoldingNick(s, "user-" + s, "node-a", "Nick" + s, "nick" + s));

    List<PresenceEntry> candidatesA = call(vertx, sweeperA::findStale);
    List<PresenceEntry> candidatesB = call(vertx, sweeperB::findStale);
    assertThat(candidatesA).hasSize(sessions.size()).containsExactlyInAnyOrderElementsOf(candidatesB);
    CompletableFuture<List<PresenceEntry>> evictA = ContextCalls.start(vertx.getOrCreateContext(),
        () -> sweeperA.evict(candidatesA, LeaveReason.EXPIRED));
    CompletableFuture<List<PresenceEntry>> evictB = ContextCalls.start(vertx.getOrCreateContext(),
        () -> sweeperB.evict(candidatesB, LeaveReason.EXPIRED));

    List<String> removed = new ArrayList<>();
    Stream.of(ContextCalls.join(evictA), ContextCalls.join(evictB))
        .forEach(list -> list.forEach(e -> removed.add(e.session())));
    List<String> left = new ArrayList<>();
    Stream.of(channelA, channelB).forEach(c -> c.leaves().forEach(e -> left.add(e.session())));
    List<String> evicted = new ArrayList<>();
    Stream.of(channelA, channelB).forEach(c -> c.evictions().forEach(e -> evicted.add(e.session())));
    assertThat(removed).as("removals").containsExactlyInAnyOrderElementsOf(sessions);
    assertThat(left).as("leaves").containsExactlyInAnyOrderElementsOf(sessions);
    assertThat(evicted).as("eviction requests").containsExactlyInAnyOrderElementsOf(sessions);
    for (String s : sessions) {
      assertThat(get(s)).isEmpty();
      assertThat(nick("nick" + s).orElseThrow().state()).isEqualTo(NickLeaseState.GRACE);
    }
  }

  @Test
  public void evictMember_removes_the_lost_nodes_sessions_with_reason_node_lost() {
    RecordingPresenceChannel channel = new RecordingPresenceChannel();
    StaleSessionSweeper sweeper = sweeper(channel);
    PresenceEntry lost = entry("s-lost", "alice", "node-gone", clock.millis());
    PresenceEntry kept = entry("s-kept", "bob", "node-alive", clock.millis());
    Stream.of(lost, kept).forEach(e -> call(vertx, () -> store.acquire(e, LONG_TTL_MS)));
    Stream.of(lost, kept).forEach(e -> call(vertx,
        () -> slots.acquire(e.user(), e.session(), e.node(), 1, clock.millis(), LONG_TTL_MS)));

    assertThat(call(vertx, () -> sweeper.evictMember("node-gone"))).containsExactly(lost);

    assertThat(call(vertx, () -> slots.liveSessions("alice", clock.millis())))
        .as("the lost node's user may reconnect at once, not a lease TTL later").isEmpty();
    assertThat(call(vertx, () -> slots.liveSessions("bob", clock.millis()))).containsExactly("s-kept");
    assertThat(call(vertx, () -> lastSeen.lastSeen("alice"))).as("the user's last seen is the eviction")
        .isEqualTo(java.util.OptionalLong.of(clock.millis()));
    assertThat(call(vertx, () -> lastSeen.lastSeen("bob"))).isEmpty();

    assertThat(get("s-lost")).isEmpty();
    assertThat(get("s-kept")).contains(kept);
    assertThat(channel.leaves()).extracting(PresenceEvent::session, PresenceEvent::reason)
        .containsExactly(tuple("s-lost", "node_lost"));
    assertThat(channel.evictions())
        .containsExactly(new RecordingPresenceChannel.Eviction("s-lost", LeaveReason.NODE_LOST));
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  /** @return what a token issued for the entry's current resume generation names, valid for a minute more */
  private ResumeTokens.Claim claim(PresenceEntry entry) {
    return new ResumeTokens.Claim(entry.user(), entry.session(), entry.resumeGeneration(), clock.millis() + 60_000);
  }

  private static ResumeOutcome refused(ResumeOutcome.Reason reason) {
    return new ResumeOutcome.Refused(reason);
  }

  protected static PresenceEntry entry(String session, String user, String node, long lastRenewedAt) {
    return new PresenceEntry(session, user, null, null, node, lastRenewedAt, lastRenewedAt, 1);
  }

  /** Moves {@link #clock} and the store's TTL time forward by {@code ms}. */
  private void letTimePass(long ms) {
    clock.advance(ms);
    passRealTime(ms);
  }

  private Optional<PresenceEntry> get(String session) {
    return call(vertx, () -> store.get(session));
  }

  private Optional<NickLease> nick(String key) {
    return call(vertx, () -> nicknames.get(key));
  }

  private void awaitGone(String session) {
    await("entry " + session + " expired").atMost(EXPIRY_WAIT).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(get(session)).isEmpty());
  }

  private StaleSessionSweeper sweeper(RecordingPresenceChannel channel) {
    PresenceStores stores = new PresenceStores(store, nicknames, slots, lastSeen, rooms);
    NickFates fates = new NickFates(nicknames, NICK_GRACE_MS, 3);
    SessionEnd ends = new SessionEnd(stores, channel, PresenceMetrics.NONE, clock, fates, 600_000,
        new RoomMemberships(stores, channel, PresenceMetrics.NONE, clock, "node-sweeping", 10_000, 100,
            new RoomNickLeases(stores, fates, channel, clock, "node-sweeping", 30_000)));
    return new StaleSessionSweeper(store, ends, clock, STALE_AFTER_MS, "node-sweeping");
  }

  /** Stores an entry whose last heartbeat is long overdue, holding a nickname lease that is still valid. */
  private PresenceEntry staleEntryHoldingNick(String session, String user, String node, String nick, String key) {
    long heardAt = clock.millis() - 10 * STALE_AFTER_MS;
    PresenceEntry entry = new PresenceEntry(session, user, nick, key, node, heardAt, heardAt, 3);
    call(vertx, () -> store.acquire(entry, LONG_TTL_MS));
    ClaimOutcome claim = call(vertx,
        () -> nicknames.acquire(key, nick, new NickHolder(session, user, node), clock.millis(), LONG_TTL_MS));
    assertThat(claim).isInstanceOf(ClaimOutcome.Granted.class);
    return entry;
  }

  /** Stores {@code count} entries, in shuffled order, and returns their session ids in sorted order. */
  private List<String> putSessions(int count) {
    List<String> sessions = IntStream.range(0, count).mapToObj(i -> String.format("s-%02d", i)).toList();
    List<String> shuffled = new ArrayList<>(sessions);
    Collections.shuffle(shuffled);
    shuffled.forEach(s -> call(vertx, () -> store.acquire(entry(s, "user-" + s, "node-a", clock.millis()),
        LONG_TTL_MS)));
    return sessions;
  }

  private List<PresencePage> listAll(int pageSize) {
    List<PresencePage> pages = new ArrayList<>();
    String after = null;
    do {
      String cursor = after;
      PresencePage page = call(vertx, () -> store.list(cursor, pageSize));
      assertThat(page.entries()).hasSizeLessThanOrEqualTo(pageSize);
      pages.add(page);
      after = page.next();
    } while (after != null && pages.size() <= 100);
    return pages;
  }

  private static <T> Future<T> onCaller(VertxTestContext test, Context caller, Future<T> call) {
    return call.map(value -> {
      test.verify(() -> assertThat(Vertx.currentContext()).as("completing context (thread %s)",
          Thread.currentThread().getName()).isSameAs(caller));
      return value;
    });
  }
}
