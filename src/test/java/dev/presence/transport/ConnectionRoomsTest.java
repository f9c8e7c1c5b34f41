package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.presence.room.RoomMembership;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A connection's rooms: what it joined and what it watches, each kept while the other goes. */
class ConnectionRoomsTest {

  static final RoomMembership PLAIN = new RoomMembership(5_000, null);
  static final RoomMembership NICKED = new RoomMembership(5_000, null, "Ann", "ann");

  final ConnectionRooms rooms = new ConnectionRooms();

  @Test
  void a_new_connection_is_in_no_room_and_watches_none() {
    assertThat(rooms.joinedCount()).isZero();
    assertThat(rooms.watchedCount()).isZero();
    assertThat(rooms.membership("red")).isNull();
    assertThat(rooms.isIn("red")).isFalse();
    assertThat(rooms.isWatched("red")).isFalse();
    assertThat(rooms.watchedRooms()).isEmpty();
    assertThat(rooms.membershipsAsMap()).isEmpty();
  }

  @Test
  void a_join_records_the_membership_and_a_repeated_join_replaces_it_without_counting_twice() {
    assertThat(rooms.join("red", PLAIN)).isNull();
    assertThat(rooms.join("blue", PLAIN)).isNull();
    assertThat(rooms.membership("red")).isSameAs(PLAIN);
    assertThat(rooms.joinedCount()).isEqualTo(2);

    RoomMembership withMeta = PLAIN.withMeta("{\"seat\":3}");
    assertThat(rooms.join("red", withMeta)).as("the membership replaced").isSameAs(PLAIN);
    assertThat(rooms.membership("red")).isSameAs(withMeta);
    assertThat(rooms.joinedCount()).isEqualTo(2);
    assertThat(rooms.watchedCount()).as("joining watches nothing by itself").isZero();
  }

  @Test
  void a_nickname_change_applies_to_a_room_still_joined_and_never_brings_back_one_left_meanwhile() {
    rooms.join("red", PLAIN);
    assertThat(rooms.replace("red", m -> m.withNick("Ann", "ann"))).isEqualTo(NICKED);
    assertThat(rooms.membership("red")).isEqualTo(NICKED);

    rooms.leave("red");
    assertThat(rooms.replace("red", m -> m.withNick("Bob", "bob"))).isNull();
    assertThat(rooms.isIn("red")).isFalse();

    rooms.watch("blue");
    assertThat(rooms.replace("blue", m -> m.withNick("Bob", "bob"))).as("watched, not joined").isNull();
    assertThat(rooms.isIn("blue")).isFalse();
  }

  @Test
  void leaving_forgets_the_membership_once() {
    rooms.join("red", NICKED);
    assertThat(rooms.leave("red")).isSameAs(NICKED);
    assertThat(rooms.leave("red")).isNull();
    assertThat(rooms.leave("never")).isNull();
    assertThat(rooms.joinedCount()).isZero();
    assertThat(rooms.membershipsAsMap()).isEmpty();
  }

  @Test
  void a_session_may_watch_a_room_it_is_not_in() {
    assertThat(rooms.watch("lobby")).isTrue();
    assertThat(rooms.watch("lobby")).as("watched already").isFalse();
    assertThat(rooms.isWatched("lobby")).isTrue();
    assertThat(rooms.isIn("lobby")).isFalse();
    assertThat(rooms.membership("lobby")).isNull();
    assertThat(rooms.watchedCount()).isEqualTo(1);
    assertThat(rooms.joinedCount()).isZero();
    assertThat(rooms.membershipsAsMap()).as("a watch is no membership").isEmpty();

    assertThat(rooms.unwatch("lobby")).isTrue();
    assertThat(rooms.unwatch("lobby")).isFalse();
    assertThat(rooms.watchedCount()).isZero();
  }

  @Test
  void unwatching_a_room_still_joined_keeps_the_membership() {
    rooms.join("red", NICKED);
    rooms.watch("red");
    rooms.unwatch("red");
    assertThat(rooms.membership("red")).isSameAs(NICKED);
    assertThat(rooms.isWatched("red")).isFalse();
    assertThat(rooms.joinedCount()).isEqualTo(1);
    assertThat(rooms.watchedCount()).isZero();
  }

  @Test
  void leaving_a_room_still_watched_keeps_the_watch_and_joining_again_finds_it() {
    rooms.watch("red");
    rooms.join("red", PLAIN);
    rooms.leave("red");
    assertThat(rooms.isWatched("red")).isTrue();
    assertThat(rooms.watchedRooms()).containsExactly("red");
    assertThat(rooms.isIn("red")).isFalse();

    rooms.join("red", NICKED);
    assertThat(rooms.isWatched("red")).isTrue();
    assertThat(rooms.membership("red")).isSameAs(NICKED);
    assertThat(rooms.joinedCount()).isEqualTo(1);
    assertThat(rooms.watchedCount()).isEqualTo(1);
  }

  @Test
  void what_the_connection_hands_on_is_a_copy_that_later_changes_do_not_reach() {
    rooms.join("red", PLAIN);
    rooms.watch("red");
    rooms.watch("lobby");
    List<String> watched = rooms.watchedRooms();
    Map<String, RoomMembership> memberships = rooms.membershipsAsMap();

    rooms.unwatch("lobby");
    rooms.leave("red");
    rooms.join("blue", PLAIN);

    assertThat(watched).containsExactlyInAnyOrder("red", "lobby");
    assertThat(memberships).containsExactly(entry("red", PLAIN));
  }

  @Test
  void the_order_of_joins_and_watches_does_not_change_what_is_known() {
    ConnectionRooms other = new ConnectionRooms();
    rooms.join("red", PLAIN);
    rooms.watch("blue");
    rooms.join("green", NICKED);
    rooms.watch("red");
    rooms.join("gone", PLAIN);
    rooms.leave("gone");

    other.join("gone", PLAIN);
    other.watch("red");
    other.join("green", NICKED);
    other.leave("gone");
    other.watch("blue");
    other.join("red", PLAIN);

    assertThat(other.membershipsAsMap()).isEqualTo(rooms.membershipsAsMap())
        .containsOnly(entry("red", PLAIN), entry("green", NICKED));
    assertThat(other.watchedRooms()).containsExactlyInAnyOrderElementsOf(rooms.watchedRooms());
    assertThat(rooms.watchedRooms()).containsExactlyInAnyOrder("red", "blue");
    Map<String, RoomMembership> visited = new HashMap<>();
    other.forEachMembership(visited::put);
    assertThat(visited).isEqualTo(rooms.membershipsAsMap());
  }

  @Test
  void a_session_at_the_room_limit_leaving_every_room_holds_nothing_stale() {
    for (int i = 0; i < 1_000; i++) {
      rooms.join("room-" + i, PLAIN);
      rooms.watch("room-" + i);
    }
    assertThat(rooms.joinedCount()).isEqualTo(1_000);
    assertThat(rooms.watchedCount()).isEqualTo(1_000);
    for (int i = 999; i >= 1; i--) {
      rooms.leave("room-" + i);
      rooms.unwatch("room-" + i);
    }
    assertThat(rooms.membershipsAsMap()).containsOnly(entry("room-0", PLAIN));
    assertThat(rooms.watchedRooms()).containsExactly("room-0");
    rooms.unwatch("room-0");
    rooms.leave("room-0");
    assertThat(rooms.toString()).isEqualTo("ConnectionRooms[]");
    rooms.watch("room-7");
    assertThat(rooms.watchedRooms()).containsExactly("room-7");
  }

  /** Thousands of random requests over a dozen rooms: the same answers as the HashMap and HashSet it replaces. */
  @Test
  void behaves_as_the_map_and_set_it_replaces() {
    Random random = new Random(13L);
    Map<String, RoomMembership> joinedModel = new HashMap<>();
    Set<String> watchedModel = new HashSet<>();
    for (int step = 0; step < 5_000; step++) {
      String room = "room-" + random.nextInt(12);
      RoomMembership membership = new RoomMembership(step, random.nextBoolean() ? null : "{\"n\":" + step + "}");
      String at = "step " + step + " on " + room;
      switch (random.nextInt(7)) {
        case 0, 1 -> assertThat(rooms.join(room, membership)).as(at).isEqualTo(joinedModel.put(room, membership));
        case 2 -> assertThat(rooms.leave(room)).as(at).isEqualTo(joinedModel.remove(room));
        case 3 -> assertThat(rooms.replace(room, m -> m.withNick("N" + at, "n" + at))).as(at)
            .isEqualTo(joinedModel.computeIfPresent(room, (r, m) -> m.withNick("N" + at, "n" + at)));
        case 4, 5 -> assertThat(rooms.watch(room)).as(at).isEqualTo(watchedModel.add(room));
        default -> assertThat(rooms.unwatch(room)).as(at).isEqualTo(watchedModel.remove(room));
      }
      assertThat(rooms.joinedCount()).as(at).isEqualTo(joinedModel.size());
      assertThat(rooms.watchedCount()).as(at).isEqualTo(watchedModel.size());
      assertThat(rooms.membership(room)).as(at).isEqualTo(joinedModel.get(room));
      assertThat(rooms.isIn(room)).as(at).isEqualTo(joinedModel.containsKey(room));
      assertThat(rooms.isWatched(room)).as(at).isEqualTo(watchedModel.contains(room));
      if (step % 50 == 0) {
        assertThat(rooms.membershipsAsMap()).as(at).isEqualTo(joinedModel);
        assertThat(rooms.watchedRooms()).as(at).containsExactlyInAnyOrderElementsOf(watchedModel);
      }
    }
    assertThat(rooms.membershipsAsMap()).isEqualTo(joinedModel);
    assertThat(rooms.watchedRooms()).containsExactlyInAnyOrderElementsOf(watchedModel);
  }
}
