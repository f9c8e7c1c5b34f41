package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoomOccupancyRecordTest {

  @Test
  void the_first_place_occupies_the_room_and_counts_one_session_of_one_user() {
    RoomOccupancyRecord after = RoomOccupancyRecord.empty("#r").admit("alice", 10);

    assertThat(after.occupancy()).isEqualTo(new RoomOccupancy("#r", 1, 1, 1));
    assertThat(after.sessionsOf("alice")).isEqualTo(1);
  }

  @Test
  void a_users_second_session_counts_a_session_and_no_user() {
    RoomOccupancyRecord after = RoomOccupancyRecord.empty("#r").admit("alice", 10).admit("alice", 10)
        .admit("bob", 10);

    assertThat(after.sessions()).isEqualTo(3);
    assertThat(after.occupancy().users()).isEqualTo(2);
    assertThat(after.release("alice").occupancy().users()).as("alice still has a session there").isEqualTo(2);
    assertThat(after.release("alice").release("alice").occupancy().users()).isEqualTo(1);
  }

  @Test
  void a_full_room_admits_nobody_and_counts_no_user_for_the_refusal() {
    RoomOccupancyRecord full = RoomOccupancyRecord.empty("#r").admit("alice", 2).admit("bob", 2);

    assertThat(full.admit("carol", 2)).isNull();
    assertThat(full.sessionsOf("carol")).isZero();
  }

  @Test
  void the_last_release_empties_the_room() {
    RoomOccupancyRecord after = RoomOccupancyRecord.empty("#r").admit("alice", 10).release("alice");

    assertThat(after.isEmpty()).isTrue();
    assertThat(after.occupancy().users()).isZero();
    assertThat(after.version()).isEqualTo(2);
  }

  @Test
  void a_release_of_a_user_not_counted_changes_nothing() {
    RoomOccupancyRecord one = RoomOccupancyRecord.empty("#r").admit("alice", 10);

    assertThat(one.release("bob")).isSameAs(one);
    assertThat(RoomOccupancyRecord.empty("#r").release("bob").sessions()).isZero();
  }

  @Test
  void a_recount_counts_each_user_once_and_each_session() {
    RoomTally recount = RoomTally.ofSessions("#r", List.of("alice", "bob", "alice"));

    assertThat(recount.sessions()).isEqualTo(3);
    assertThat(recount.users()).isEqualTo(2);
    assertThat(recount.perUser()).containsEntry("alice", 2).containsEntry("bob", 1);
    RoomOccupancyRecord record = RoomOccupancyRecord.of(recount, 7);
    assertThat(record.occupancy()).isEqualTo(new RoomOccupancy("#r", 3, 2, 7));
    assertThat(record.perUser()).isEqualTo(Map.of("alice", 2, "bob", 1));
    assertThat(record.users()).containsExactly("alice", "bob");
  }

  @Test
  void a_stored_record_must_have_its_users_ordered_with_one_count_each() {
    assertThatThrownBy(() -> RoomOccupancyRecord.stored("#r", 2, 1, new String[] {"b", "a"}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoomOccupancyRecord.stored("#r", 2, 1, new String[] {"a"}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thousands_of_places_taken_and_given_back_in_any_order_count_as_a_map_would() {
    Random random = new Random(13);
    Map<String, Integer> model = new HashMap<>();
    int sessions = 0;
    RoomOccupancyRecord record = RoomOccupancyRecord.empty("#r");
    for (int step = 0; step < 5_000; step++) {
      String user = "u" + random.nextInt(300);
      RoomOccupancyRecord before = record;
      if (random.nextInt(3) > 0) {
        record = record.admit(user, Integer.MAX_VALUE);
        model.merge(user, 1, Integer::sum);
        sessions++;
      } else {
        record = record.release(user);
        if (model.containsKey(user)) {
          model.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
          sessions--;
        } else {
          assertThat(record).isSameAs(before);
        }
      }
      assertThat(before.sessionsOf(user)).as("records are never changed in place")
          .isEqualTo(before.perUser().getOrDefault(user, 0));
    }
    assertThat(record.perUser()).isEqualTo(model);
    assertThat(record.sessions()).isEqualTo(sessions);
    assertThat(record.occupancy().users()).isEqualTo(model.size());
    assertThat(record.users()).isSorted();
  }
}
