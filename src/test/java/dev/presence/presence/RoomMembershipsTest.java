package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.nickname.NickLease;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomNicknames;
import dev.presence.session.LeaveReason;
import dev.presence.testing.InMemoryLastSeenStore;
import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.InMemoryPresenceStore;
import dev.presence.testing.InMemoryRoomOccupancyStore;
import dev.presence.testing.InMemorySessionSlotStore;
import dev.presence.testing.MutableClock;
import dev.presence.testing.RecordingPresenceChannel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stories of rooms over the in-memory stores: who publishes which room event, the limits, and the single end path
 * taking a session out of every room once.
 */
@ExtendWith(VertxExtension.class)
class RoomMembershipsTest {

  private static final int MAX_MEMBERS = 2;
  private static final int MAX_ROOMS = 2;
  private static final long TTL_MS = 60_000;

  private Vertx vertx;
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private final RecordingPresenceChannel channel = new RecordingPresenceChannel();
  private InMemoryPresenceStore presence;
  private InMemoryRoomOccupancyStore occupancy;
  private PresenceStores stores;
  private RoomMemberships rooms;
  private SessionEnd ends;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    presence = new InMemoryPresenceStore(vertx, clock);
    occupancy = new InMemoryRoomOccupancyStore(vertx);
    stores = new PresenceStores(presence, new InMemoryNicknameLeaseStore(vertx, clock, 5_000),
        new InMemorySessionSlotStore(vertx, clock), new InMemoryLastSeenStore(vertx, clock), occupancy);
    NickFates fates = new NickFates(stores.nicknames(), 30_000, 3);
    rooms = new RoomMemberships(stores, channel, PresenceMetrics.NONE, clock, "node-a", MAX_MEMBERS, MAX_ROOMS,
        new RoomNickLeases(stores, fates, channel, clock, "node-a", TTL_MS));
    ends = new SessionEnd(stores, channel, PresenceMetrics.NONE, clock, fates, 600_000, rooms);
  }

  @AfterEach
  void tearDown() {
    presence.close();
    occupancy.close();
  }

  private PresenceEntry session(String session, String user) {
    PresenceEntry entry = PresenceEntry.joined(session, user, "node-a", clock.millis());
    call(vertx, () -> presence.acquire(entry, TTL_MS));
    return entry;
  }

  private RoomJoinOutcome join(PresenceEntry entry, String room) {
    return call(vertx, () -> rooms.join(entry, room, null, null, null));
  }

  private List<String> roomEvents() {
    return channel.events().stream().filter(PresenceEvent::isRoomEvent)
        .map(e -> e.event() + " " + e.room() + (e.session() == null ? "" : " " + e.session())
            + (e.reason() == null ? "" : " " + e.reason()))
        .toList();
  }

  @Test
  void the_first_member_occupies_the_room_and_the_second_only_joins() {
    PresenceEntry alice = session("s-1", "alice");
    PresenceEntry bob = session("s-2", "bob");

    assertThat(join(alice, "#general")).isEqualTo(new RoomJoinOutcome.Joined("#general", 1, 1, true));
    assertThat(join(bob, "#general")).isEqualTo(new RoomJoinOutcome.Joined("#general", 2, 2, true));

    assertThat(roomEvents()).containsExactly("room.occupied #general", "room.join #general s-1",
        "room.join #general s-2");
  }

  @Test
  void a_full_room_refuses_and_nothing_changes() {
    join(session("s-1", "alice"), "#r");
    join(session("s-2", "bob"), "#r");
    PresenceEntry carol = session("s-3", "carol");

    RoomJoinOutcome outcome = join(carol, "#r");

    assertThat(outcome).isInstanceOfSatisfying(RoomJoinOutcome.Refused.class,
        r -> assertThat(r.code()).isEqualTo("room_full"));
    assertThat(call(vertx, () -> presence.get("s-3")).orElseThrow().rooms()).isEmpty();
    assertThat(call(vertx, () -> occupancy.get("#r")).orElseThrow().sessions()).isEqualTo(2);
  }

  @Test
  void a_join_beyond_the_room_limit_gives_its_place_back_and_publishes_the_vacancy_it_caused() {
    PresenceEntry alice = session("s-1", "alice");
    join(alice, "a");
    join(alice, "b");

    RoomJoinOutcome outcome = join(alice, "c");

    assertThat(outcome).isInstanceOfSatisfying(RoomJoinOutcome.Refused.class,
        r -> assertThat(r.code()).isEqualTo("room_limit"));
    assertThat(call(vertx, () -> occupancy.get("c"))).isEmpty();
    assertThat(roomEvents()).endsWith("room.occupied c", "room.vacated c");
  }

  @Test
  void a_repeated_join_replaces_the_meta_takes_no_second_place_and_publishes_only_a_room_update() {
    PresenceEntry alice = session("s-1", "alice");
    join(alice, "#r");
    int before = channel.events().size();

    RoomJoinOutcome again = call(vertx, () -> rooms.join(alice, "#r", "{\"x\":1}", new RoomMembership(1, null),
        null));

    assertThat(again).isEqualTo(new RoomJoinOutcome.Joined("#r", 1, 1, false));
    assertThat(channel.events()).hasSize(before + 1);
    PresenceEvent update = channel.events().get(before);
    assertThat(update.event()).isEqualTo(PresenceEvent.ROOM_UPDATE);
    assertThat(update.roomMeta()).isEqualTo("{\"x\":1}");
    assertThat(call(vertx, () -> presence.get("s-1")).orElseThrow().rooms().get("#r").meta()).isEqualTo("{\"x\":1}");
  }

  @Test
  void the_last_leave_vacates_the_room_and_a_second_leave_is_not_in_room() {
    PresenceEntry alice = session("s-1", "alice");
    join(alice, "#r");

    assertThat(call(vertx, () -> rooms.leave("s-1", "#r"))).isTrue();
    assertThat(call(vertx, () -> rooms.leave("s-1", "#r"))).isFalse();

    assertThat(roomEvents()).containsExactly("room.occupied #r", "room.join #r s-1", "room.leave #r s-1 left",
        "room.vacated #r");
  }

  @Test
  void a_session_end_leaves_every_room_once_with_its_reason_however_many_paths_race() {
    PresenceEntry alice = session("s-1", "alice");
    PresenceEntry bob = session("s-2", "bob");
    join(alice, "#a");
    join(alice, "#b");
    join(bob, "#b");
    PresenceEntry read = call(vertx, () -> presence.get("s-1")).orElseThrow();

    call(vertx, () -> ends.end("s-1", LeaveReason.RESET, clock.millis()));
    call(vertx, () -> ends.end("s-1", LeaveReason.CLOSED, clock.millis()));
    call(vertx, () -> ends.evict(List.of(read), LeaveReason.EXPIRED));

    assertThat(roomEvents()).filteredOn(e -> e.contains("s-1") && e.startsWith("room.leave"))
        .containsExactlyInAnyOrder("room.leave #a s-1 reset", "room.leave #b s-1 reset");
    assertThat(roomEvents()).filteredOn(e -> e.startsWith("room.vacated")).containsExactly("room.vacated #a");
    assertThat(call(vertx, () -> occupancy.get("#b")).orElseThrow().sessions()).isEqualTo(1);
    assertThat(call(vertx, () -> presence.listRoom("#b", null, 10)).entries()).extracting(PresenceEntry::session)
        .containsExactly("s-2");
  }

  private static NicknameCheck.Valid nick(String raw) {
    return (NicknameCheck.Valid) NicknameRules.check(raw);
  }

  private java.util.Optional<NickLease> lease(String room, String raw) {
    return call(vertx, () -> stores.nicknames().get(RoomNicknames.leaseKey(room, nick(raw).key())));
  }

  @Test
  void a_room_nickname_is_claimed_with_the_join_and_a_taken_one_joins_nothing() {
    PresenceEntry alice = session("s-1", "alice");
    RoomJoinOutcome joined = call(vertx, () -> rooms.join(alice, "#r", null, null, nick("Star")));
    assertThat(joined).isInstanceOfSatisfying(RoomJoinOutcome.Joined.class, j -> {
      assertThat(j.nick()).isEqualTo("Star");
      assertThat(j.fencingToken()).isPositive();
    });
    assertThat(call(vertx, () -> presence.get("s-1")).orElseThrow().rooms().get("#r").nick()).isEqualTo("Star");
    assertThat(lease("#r", "Star")).hasValueSatisfying(l -> assertThat(l.holder().session()).isEqualTo("s-1"));
    assertThat(roomEvents()).contains("room.join #r s-1");
    assertThat(channel.events().stream().filter(e -> e.event().equals(PresenceEvent.ROOM_JOIN)).findFirst()
        .orElseThrow().roomNick()).isEqualTo("Star");

    PresenceEntry bob = session("s-2", "bob");
    RoomJoinOutcome taken = call(vertx, () -> rooms.join(bob, "#r", null, null, nick("ｓｔａｒ")));
    assertThat(taken).isEqualTo(new RoomJoinOutcome.Refused("nick_taken",
        "nickname is held or reserved in #r by another user"));
    assertThat(call(vertx, () -> presence.get("s-2")).orElseThrow().rooms()).isEmpty();
    assertThat(call(vertx, () -> occupancy.get("#r")).orElseThrow().sessions()).isEqualTo(1);
    assertThat(call(vertx, () -> rooms.join(bob, "#other", null, null, nick("Star"))))
        .as("the same name in another room").isInstanceOf(RoomJoinOutcome.Joined.class);
  }

  @Test
  void a_leave_frees_the_room_nickname_and_an_abnormal_end_keeps_it_in_grace_for_its_user() {
    PresenceEntry alice = session("s-1", "alice");
    call(vertx, () -> rooms.join(alice, "#r", null, null, nick("Star")));
    call(vertx, () -> rooms.leave("s-1", "#r"));
    assertThat(lease("#r", "Star").filter(l -> !l.isFree(clock.millis()))).as("freed at once").isEmpty();

    PresenceEntry bob = session("s-2", "bob");
    call(vertx, () -> rooms.join(bob, "#r", null, null, nick("Star")));
    call(vertx, () -> ends.end("s-2", LeaveReason.RESET, clock.millis()));
    PresenceEntry carol = session("s-3", "carol");
    assertThat(call(vertx, () -> rooms.join(carol, "#r", null, null, nick("Star"))))
        .as("bob's nickname is in grace").isInstanceOf(RoomJoinOutcome.Refused.class);
    PresenceEntry bobAgain = session("s-4", "bob");
    assertThat(call(vertx, () -> rooms.join(bobAgain, "#r", null, null, nick("Star"))))
        .as("bob's next session gets it back").isInstanceOf(RoomJoinOutcome.Joined.class);
  }

  @Test
  void a_join_the_connection_believed_repeated_but_the_entry_lacked_is_a_real_join_with_its_place() {
    PresenceEntry alice = session("s-1", "alice");

    RoomJoinOutcome outcome = call(vertx, () -> rooms.join(alice, "#r", null, new RoomMembership(1, null), null));

    assertThat(outcome).isEqualTo(new RoomJoinOutcome.Joined("#r", 1, 1, true));
    assertThat(roomEvents()).containsExactly("room.occupied #r", "room.join #r s-1");
    assertThat(call(vertx, () -> presence.get("s-1")).orElseThrow().inRoom("#r")).isTrue();
  }

  @Test
  void a_kick_from_a_room_takes_each_membership_out_once_and_asks_its_owner_to_tell_the_session() {
    PresenceEntry alice = session("s-1", "alice");
    PresenceEntry aliceAgain = session("s-2", "alice");
    PresenceEntry outside = session("s-3", "alice");
    join(alice, "#r");
    join(aliceAgain, "#r");
    join(outside, "#elsewhere");

    List<String> kicked = call(vertx, () -> rooms.kick("#r", List.of("s-1", "s-2", "s-3", "s-gone"), "spam"));
    List<String> again = call(vertx, () -> rooms.kick("#r", List.of("s-1", "s-2"), "spam"));

    assertThat(kicked).containsExactly("s-1", "s-2");
    assertThat(again).as("a retried kick takes nothing out twice").isEmpty();
    assertThat(roomEvents()).filteredOn(e -> e.contains("#r")).containsExactly("room.occupied #r",
        "room.join #r s-1", "room.join #r s-2", "room.leave #r s-1 kicked", "room.leave #r s-2 kicked",
        "room.vacated #r");
    assertThat(channel.roomKicks()).containsExactly(new RecordingPresenceChannel.RoomKick("s-1", "#r", "spam"),
        new RecordingPresenceChannel.RoomKick("s-2", "#r", "spam"));
    assertThat(channel.evictions()).as("nobody is closed").isEmpty();
    assertThat(call(vertx, () -> occupancy.get("#r"))).isEmpty();
    assertThat(call(vertx, () -> rooms.isIn("s-1", "#r"))).isFalse();
    assertThat(call(vertx, () -> rooms.isIn("s-3", "#elsewhere"))).as("other rooms are kept").isTrue();
    assertThat(call(vertx, () -> rooms.isIn("s-gone", "#r"))).isFalse();
  }

  @Test
  void a_kick_after_the_session_left_takes_nothing_and_publishes_no_second_room_leave() {
    PresenceEntry alice = session("s-1", "alice");
    join(alice, "#r");
    join(session("s-2", "bob"), "#r");

    boolean left = call(vertx, () -> rooms.leave("s-1", "#r"));
    List<String> kicked = call(vertx, () -> rooms.kick("#r", List.of("s-1"), null));

    assertThat(left).isTrue();
    assertThat(kicked).isEmpty();
    assertThat(roomEvents()).filteredOn(e -> e.startsWith("room.leave")).containsExactly("room.leave #r s-1 left");
    assertThat(channel.roomKicks()).isEmpty();
    assertThat(call(vertx, () -> occupancy.get("#r")).orElseThrow().sessions()).isEqualTo(1);
  }
}
