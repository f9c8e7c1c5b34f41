package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The room view's sessions per user: it must answer exactly as the {@code HashMap} it replaced. */
class RoomFeedUserCountsTest {

  @Test
  void a_user_counts_once_however_many_sessions_and_goes_with_its_last_one() {
    RoomFeedUserCounts users = new RoomFeedUserCounts();
    assertThat(users.increment("alice")).isEqualTo(1);
    assertThat(users.increment("alice")).isEqualTo(2);
    assertThat(users.increment("bob")).isEqualTo(1);
    assertThat(users.size()).isEqualTo(2);

    assertThat(users.decrement("alice")).isEqualTo(1);
    assertThat(users.size()).isEqualTo(2);
    assertThat(users.decrement("alice")).isZero();
    assertThat(users.size()).isEqualTo(1);
    assertThat(users.count("alice")).isZero();
    assertThat(users.decrement("alice")).as("absent: stays absent").isZero();
    assertThat(users.size()).isEqualTo(1);
  }

  @Test
  void a_null_user_counts_as_a_user_as_it_did_in_a_hash_map() {
    RoomFeedUserCounts users = new RoomFeedUserCounts();
    users.increment(null);
    users.increment(null);
    users.increment("alice");
    assertThat(users.size()).isEqualTo(2);
    users.decrement(null);
    users.decrement(null);
    users.decrement(null);
    assertThat(users.size()).isEqualTo(1);
    assertThat(users.count(null)).isZero();
  }

  @Test
  void users_whose_homes_collide_stay_reachable_after_any_of_them_leaves() {
    // "Aa" and "BB" have the same String hash: one probe run, whichever leaves first.
    for (List<String> order : List.of(List.of("Aa", "BB", "AaAa", "BBBB"), List.of("BBBB", "AaAa", "BB", "Aa"))) {
      RoomFeedUserCounts users = new RoomFeedUserCounts();
      List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa").forEach(users::increment);
      for (String leaving : order) {
        users.decrement(leaving);
        assertThat(users.count(leaving)).isZero();
      }
      assertThat(users.count("AaBB")).isEqualTo(1);
      assertThat(users.count("BBAa")).isEqualTo(1);
      assertThat(users.size()).isEqualTo(2);
    }
  }

  @Test
  void thousands_of_random_joins_and_leaves_count_as_a_hash_map_does_and_shrink_back_to_empty() {
    Random random = new Random(13);
    RoomFeedUserCounts users = new RoomFeedUserCounts();
    Map<String, Integer> expected = new HashMap<>();
    for (int op = 0; op < 20_000; op++) {
      String user = "u" + random.nextInt(op < 10_000 ? 2_000 : 200);
      boolean growing = op < 10_000;
      int dice = random.nextInt(10);
      if (dice < (growing ? 6 : 3)) {
        assertThat(users.increment(user)).isEqualTo(expected.merge(user, 1, Integer::sum));
      } else if (dice < 9) {
        Integer after = expected.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
        assertThat(users.decrement(user)).isEqualTo(after == null ? 0 : after);
      } else {
        assertThat(users.count(user)).isEqualTo(expected.getOrDefault(user, 0));
      }
      assertThat(users.size()).isEqualTo(expected.size());
      assertThat(users.capacity()).as("at most 60 % full, at least an eighth once past the first table")
          .isBetween((int) Math.ceil(users.size() / 0.6), Math.max(4, 8 * users.size()));
      if (op % 499 == 0) {
        expected.forEach((u, n) -> assertThat(users.count(u)).as(u).isEqualTo(n));
      }
    }
    Map.copyOf(expected).forEach((u, n) -> {
      for (int i = 0; i < n; i++) {
        users.decrement(u);
      }
      expected.remove(u);
      assertThat(users.size()).isEqualTo(expected.size());
    });
    assertThat(users.size()).isZero();
    assertThat(users.capacity()).as("table dropped").isZero();
    assertThat(users.increment("u1")).isEqualTo(1);
  }
}
