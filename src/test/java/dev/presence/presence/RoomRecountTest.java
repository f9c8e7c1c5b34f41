package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.room.RoomMembership;
import dev.presence.room.RoomOccupancy;
import dev.presence.testing.InMemoryLastSeenStore;
import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.InMemoryPresenceStore;
import dev.presence.testing.InMemoryRoomOccupancyStore;
import dev.presence.testing.InMemorySessionSlotStore;
import dev.presence.testing.MutableClock;
import dev.presence.testing.RecordingPresenceChannel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stories of drifted room counters and their repair from the memberships on the entries. */
@ExtendWith(VertxExtension.class)
class RoomRecountTest {

  private Vertx vertx;
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private final RecordingPresenceChannel channel = new RecordingPresenceChannel();
  private InMemoryPresenceStore presence;
  private InMemoryRoomOccupancyStore occupancy;
  private RoomRecount recount;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    presence = new InMemoryPresenceStore(vertx, clock);
    occupancy = new InMemoryRoomOccupancyStore(vertx);
    PresenceStores stores = new PresenceStores(presence, new InMemoryNicknameLeaseStore(vertx, clock, 5_000),
        new InMemorySessionSlotStore(vertx, clock), new InMemoryLastSeenStore(vertx, clock), occupancy);
    recount = new RoomRecount(stores, channel, clock, "node-a");
  }

  @AfterEach
  void tearDown() {
    presence.close();
    occupancy.close();
  }

  private void member(String session, String user, String room) {
    call(vertx, () -> presence.acquire(PresenceEntry.joined(session, user, "node-a", clock.millis()), 60_000));
    call(vertx, () -> presence.joinRoom(session, room, new RoomMembership(clock.millis(), null), 10));
    call(vertx, () -> occupancy.reserve(room, user, 100));
  }

  @Test
  void a_place_taken_by_a_node_lost_before_it_wrote_the_membership_is_given_back_after_two_runs_agree() {
    member("s-1", "alice", "#r");
    call(vertx, () -> occupancy.reserve("#r", "ghost", 100)); // reserved, then the node died

    assertThat(call(vertx, () -> recount.run())).as("first sight: only suspected").isZero();
    assertThat(call(vertx, () -> recount.run())).isEqualTo(1);

    assertThat(call(vertx, () -> occupancy.get("#r")).orElseThrow()).extracting(RoomOccupancy::sessions,
        RoomOccupancy::users).containsExactly(1, 1);
    assertThat(call(vertx, () -> recount.run())).as("nothing left to correct").isZero();
  }

  @Test
  void a_room_whose_only_count_was_drift_is_vacated_once() {
    call(vertx, () -> occupancy.reserve("#ghost-town", "ghost", 100));

    call(vertx, () -> recount.run());
    call(vertx, () -> recount.run());

    assertThat(call(vertx, () -> occupancy.get("#ghost-town"))).isEmpty();
    assertThat(channel.events()).extracting(PresenceEvent::event).containsExactly(PresenceEvent.ROOM_VACATED);
  }

  @Test
  void a_difference_that_moved_between_two_runs_is_a_join_in_flight_and_is_left_alone() {
    member("s-1", "alice", "#r");
    call(vertx, () -> occupancy.reserve("#r", "bob", 100)); // bob's place is taken, his membership not yet written

    call(vertx, () -> recount.run());
    call(vertx, () -> occupancy.reserve("#r", "carol", 100)); // another join moves the version on

    assertThat(call(vertx, () -> recount.run())).isZero();
    assertThat(call(vertx, () -> occupancy.get("#r")).orElseThrow().sessions()).isEqualTo(3);
  }
}
