package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeaseState;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomNicknames;
import dev.presence.store.ClusterStoreException;
import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.InMemoryPresenceStore;
import dev.presence.testing.InMemoryStores;
import dev.presence.testing.RecordingPresenceChannel;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The re-assertion of a live session whose entry was lost ({@link SessionRestore}), on the in-memory stores, when the
 * nickname map cannot be used (no quorum, or its partition owner does not answer): the restore fails after it wrote
 * the entry back, and the next one, told it finishes a failed one, does every step after the write instead of taking
 * the entry it finds for a finished restore (fault scenario 9 once lost a nickname that way).
 */
class SessionRestoreTest {

  private final Vertx vertx = Vertx.vertx();
  private final InMemoryStores stores = InMemoryStores.on(vertx, 60_000);
  private final InMemoryNicknameLeaseStore leases = stores.nicknames();
  private final InMemoryPresenceStore presence = stores.presence();
  private final RecordingPresenceChannel channel = new RecordingPresenceChannel();
  private final PresenceService service = new PresenceService(stores.ports(), 10, channel, InstantSource.system(),
      "node-a", 30_000, 60_000, 3, 600_000, PresenceMetrics.NONE, 10_000, 100);
  private final String key = ((NicknameCheck.Valid) NicknameRules.check("Alice")).key();
  /** Events published before the entry was lost: the first join, the nickname claim. */
  private int eventsBefore;

  @BeforeEach
  void aliceHoldsHerNicknameThenHerEntryIsLost() {
    call(vertx, () -> service.join("s1", "alice"));
    assertThat(call(vertx, () -> service.claimNick("s1", "alice", "Alice", null)))
        .isInstanceOf(NickChange.Claimed.class);
    call(vertx, () -> presence.remove("s1")); // a healed split's merge discarded it
    eventsBefore = channel.events().size();
  }

  @AfterEach
  void close() {
    stores.close();
    vertx.close().await();
  }

  @Test
  void without_the_nickname_quorum_the_restore_fails_and_is_finished_with_the_nickname_once_the_quorum_returns() {
    leases.quorum(false);
    assertThatThrownBy(() -> restore(false)).hasCauseInstanceOf(ClusterStoreException.class);
    assertThatThrownBy(() -> restore(true)).as("retried while the quorum is missing")
        .hasCauseInstanceOf(ClusterStoreException.class);
    assertThat(joins()).as("no join while the nickname cannot be reclaimed").isEmpty();

    leases.quorum(true);
    assertThat(restore(true)).isEqualTo(SessionRestore.Outcome.RESTORED);

    assertThat(joins()).as("one join, with the nickname").singleElement()
        .satisfies(join -> assertThat(join.nick()).isEqualTo("Alice"));
    assertThat(lease()).hasValueSatisfying(lease -> {
      assertThat(lease.state()).isEqualTo(NickLeaseState.HELD);
      assertThat(lease.holder().session()).isEqualTo("s1");
    });
  }

  @Test
  void a_restore_that_failed_after_writing_the_entry_is_finished_by_the_next_one() {
    leases.reachable(false);
    assertThatThrownBy(() -> restore(false)).hasCauseInstanceOf(ClusterStoreException.class);
    assertThat(entry()).as("written back before the nickname step failed").isNotNull();
    assertThat(joins()).as("no join yet").isEmpty();

    leases.reachable(true);
    assertThat(restore(false)).as("a restore that takes the half-written entry for a finished one")
        .isEqualTo(SessionRestore.Outcome.RESTORED);
    assertThat(joins()).as("it finishes nothing").isEmpty();

    assertThat(restore(true)).isEqualTo(SessionRestore.Outcome.RESTORED);
    assertThat(joins()).as("finishing publishes the join with the nickname").singleElement()
        .satisfies(join -> assertThat(join.nick()).isEqualTo("Alice"));
    assertThat(entry().nick()).isEqualTo("Alice");
    assertThat(lease()).hasValueSatisfying(lease -> assertThat(lease.isHeldBy("s1", System.currentTimeMillis()))
        .isTrue());
  }

  @Test
  void a_room_nickname_the_eviction_left_in_its_own_grace_is_held_again_when_the_restore_completes() {
    String roomKey = RoomNicknames.leaseKey("#r", key);
    long now = System.currentTimeMillis();
    call(vertx, () -> leases.acquire(roomKey, "Alice", new NickHolder("s1", "alice", "node-a"), now, 30_000));
    call(vertx, () -> leases.enterGrace(roomKey, "s1", now, 60_000)); // the other side's eviction

    SessionRestore.Outcome outcome = call(vertx, () -> service.restores().restore("s1", "alice", "Alice", key,
        SessionStatus.ONLINE, now, 0, Map.of("#r", new RoomMembership(now, null).withNick("Alice", key)), false));

    assertThat(outcome).isEqualTo(SessionRestore.Outcome.RESTORED);
    // Held by the time the restore answers: a renewal that reads it next must not find it in grace and call it lost.
    assertThat(call(vertx, () -> leases.get(roomKey))).hasValueSatisfying(lease -> assertThat(lease.isHeldBy("s1",
        System.currentTimeMillis())).isTrue());
  }

  private SessionRestore.Outcome restore(boolean finishing) {
    return call(vertx, () -> service.restores().restore("s1", "alice", "Alice", key, SessionStatus.ONLINE,
        System.currentTimeMillis(), 0, Map.of(), finishing));
  }

  private PresenceEntry entry() {
    return call(vertx, () -> presence.get("s1")).orElse(null);
  }

  private Optional<NickLease> lease() {
    return call(vertx, () -> leases.get(key));
  }

  /** @return the joins published since the entry was lost */
  private List<PresenceEvent> joins() {
    List<PresenceEvent> events = channel.events();
    return events.subList(eventsBefore, events.size()).stream().filter(e -> e.event().equals("join")).toList();
  }
}
