package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.RoomFeed;
import dev.presence.presence.RoomMember;
import dev.presence.room.RoomMembership;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One event loop's room views share one entry per member session, follow its changes, and forget it when it leaves. */
class RoomMemberIndexTest {

  static final RoomMembership PLAIN = new RoomMembership(5_000, null, null, null);

  final RoomMemberIndex index = new RoomMemberIndex();
  final RoomFeed red = live("red");
  final RoomFeed blue = live("blue");

  RoomFeed live(String room) {
    RoomFeed feed = new RoomFeed(room, 1_000, 50, index);
    feed.finishRead(feed.startRead(), List.of(), 0);
    return feed;
  }

  /** As an event's decoding does: equal values, never the same instances. */
  static PresenceEntry ann() {
    return new PresenceEntry(new String("s1"), new String("ann"), null, null, new String("node-a"), 1_000, 0, 0);
  }

  static PresenceEntry entryIn(RoomFeed feed, String session) {
    return feed.members().stream().filter(m -> m.session().equals(session)).map(RoomMember::entry).findFirst()
        .orElseThrow();
  }

  @Test
  void a_session_in_two_rooms_is_one_entry_with_its_since_and_a_change_reaches_both_views() {
    red.offer(PresenceEvent.roomJoin(ann().withRoom("red", PLAIN), "red", 5_000), 10);
    blue.offer(PresenceEvent.roomJoin(ann().withRoom("blue", PLAIN), "blue", 6_000), 20);

    assertThat(entryIn(red, "s1")).isSameAs(entryIn(blue, "s1"));
    assertThat(entryIn(red, "s1").connectedAt()).as("the session's since, not its room join time").isEqualTo(1_000);
    assertThat(index.roomsOf("s1")).containsExactlyInAnyOrder("red", "blue");

    PresenceEvent renamed = PresenceEvent.nick("s1", "ann", "Ann", "node-a", 30);
    index.roomsOf("s1").forEach(room -> (room.equals("red") ? red : blue).offer(renamed, 30));
    assertThat(entryIn(red, "s1").nick()).isEqualTo("Ann");
    assertThat(entryIn(red, "s1")).isSameAs(entryIn(blue, "s1"));
  }

  @Test
  void members_on_one_node_share_its_id_and_a_session_that_left_every_view_is_forgotten() {
    red.offer(PresenceEvent.roomJoin(ann().withRoom("red", PLAIN), "red", 5_000), 10);
    PresenceEntry bob = new PresenceEntry("s2", "bob", null, null, new String("node-a"), 2_000, 0, 0);
    red.offer(PresenceEvent.roomJoin(bob.withRoom("red", PLAIN), "red", 5_000), 10);
    assertThat(entryIn(red, "s1").node()).isSameAs(entryIn(red, "s2").node());

    blue.offer(PresenceEvent.roomJoin(ann().withRoom("blue", PLAIN), "blue", 6_000), 20);
    red.offer(PresenceEvent.roomLeave(ann(), "red", "left", 40), 40);
    assertThat(index.roomsOf("s1")).containsExactly("blue");
    blue.offer(PresenceEvent.roomLeave(ann(), "blue", "left", 50), 50);
    assertThat(index.roomsOf("s1")).isEmpty();
    assertThat(index.size()).isEqualTo(1);
  }
}
