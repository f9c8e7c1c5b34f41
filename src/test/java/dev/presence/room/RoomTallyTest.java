package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomTallyTest {

  @Test
  void the_first_place_occupies_the_room_and_counts_one_session_of_one_user() {
    RoomTally after = RoomTally.empty("#r").admit("alice", 10);

    assertThat(after.sessions()).isEqualTo(1);
    assertThat(after.users()).isEqualTo(1);
    assertThat(after.version()).isEqualTo(1);
  }

  @Test
  void two_sessions_of_one_user_count_two_sessions_and_one_user() {
    RoomTally after = RoomTally.empty("#r").admit("alice", 10).admit("alice", 10).admit("bob", 10);

    assertThat(after.sessions()).isEqualTo(3);
    assertThat(after.users()).isEqualTo(2);
    assertThat(after.release("alice").users()).as("alice still has a session there").isEqualTo(2);
    assertThat(after.release("alice").release("alice").users()).isEqualTo(1);
  }

  @Test
  void a_full_room_admits_nobody() {
    RoomTally full = RoomTally.empty("#r").admit("alice", 2).admit("bob", 2);

    assertThat(full.admit("carol", 2)).isNull();
  }

  @Test
  void the_last_release_empties_the_room() {
    RoomTally after = RoomTally.empty("#r").admit("alice", 10).release("alice");

    assertThat(after.isEmpty()).isTrue();
    assertThat(after.perUser()).isEmpty();
  }

  @Test
  void a_release_the_counters_never_admitted_leaves_the_counts_alone() {
    RoomTally one = new RoomTally("#r", 1, Map.of("alice", 1), 5);

    RoomTally after = one.release("mallory");

    assertThat(after.sessions()).isEqualTo(1);
    assertThat(after.users()).isEqualTo(1);
    assertThat(after.version()).isEqualTo(6);
  }

  @Test
  void readers_get_the_counts_without_the_per_user_map() {
    RoomTally tally = RoomTally.empty("#r").admit("alice", 10).admit("alice", 10).admit("bob", 10);

    assertThat(tally.occupancy()).isEqualTo(new RoomOccupancy("#r", 3, 2, 3));
  }

  @Test
  void a_change_leaves_the_tally_it_started_from_as_it_was() {
    RoomTally before = RoomTally.empty("#r").admit("alice", 10);

    before.admit("bob", 10);
    before.release("alice");

    assertThat(before.perUser()).containsExactly(java.util.Map.entry("alice", 1));
    assertThat(before.sessions()).isEqualTo(1);
  }

  @Test
  void a_recount_counts_each_user_once_and_each_session() {
    RoomTally recount = RoomTally.ofSessions("#r", java.util.List.of("alice", "bob", "alice"));

    assertThat(recount.occupancy()).isEqualTo(new RoomOccupancy("#r", 3, 2, 0));
    assertThat(recount.perUser()).containsEntry("alice", 2).containsEntry("bob", 1);
  }
}
