package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoomUserCountsTest {

  @Test
  void a_users_sessions_are_counted_and_the_user_goes_with_its_last() {
    RoomUserCounts counts = RoomUserCounts.empty().add("bob").add("alice").add("bob");

    assertThat(counts.users()).isEqualTo(2);
    assertThat(counts.sessionsOf("bob")).isEqualTo(2);
    assertThat(counts.remove("bob").sessionsOf("bob")).isEqualTo(1);
    assertThat(counts.remove("bob").remove("bob").users()).isEqualTo(1);
    assertThat(counts.remove("alice").remove("bob").remove("bob").isEmpty()).isTrue();
  }

  @Test
  void removing_a_user_not_counted_changes_nothing() {
    RoomUserCounts counts = RoomUserCounts.empty().add("alice");

    assertThat(counts.remove("bob")).isSameAs(counts);
    assertThat(RoomUserCounts.empty().remove("bob").isEmpty()).isTrue();
  }

  @Test
  void a_recount_becomes_ordered_counts() {
    RoomUserCounts counts = RoomUserCounts.of(Map.of("carol", 1, "alice", 2));

    assertThat(counts.usersInOrder()).containsExactly("alice", "carol");
    assertThat(counts.sessionsInOrder()).containsExactly(2, 1);
    assertThat(counts.perUser()).isEqualTo(Map.of("alice", 2, "carol", 1));
  }

  @Test
  void stored_counts_must_be_ordered_positive_and_one_per_user() {
    assertThatThrownBy(() -> RoomUserCounts.stored(new String[] {"b", "a"}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoomUserCounts.stored(new String[] {"a"}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoomUserCounts.stored(new String[] {"a"}, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thousands_of_sessions_counted_in_any_order_agree_with_a_map_and_no_record_changes_in_place() {
    Random random = new Random(13);
    Map<String, Integer> model = new HashMap<>();
    RoomUserCounts counts = RoomUserCounts.empty();
    for (int step = 0; step < 5_000; step++) {
      String user = "u" + random.nextInt(300);
      RoomUserCounts before = counts;
      Map<String, Integer> beforeModel = before.perUser();
      if (random.nextInt(3) > 0) {
        counts = counts.add(user);
        model.merge(user, 1, Integer::sum);
      } else {
        counts = counts.remove(user);
        model.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
      }
      assertThat(before.perUser()).as("copy on write").isEqualTo(beforeModel);
      assertThat(counts.sessionsOf(user)).isEqualTo(model.getOrDefault(user, 0));
    }
    assertThat(counts.perUser()).isEqualTo(model);
    assertThat(counts.users()).isEqualTo(model.size());
    assertThat(counts.usersInOrder()).isSorted();
  }
}
