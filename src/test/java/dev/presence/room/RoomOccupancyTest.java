package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomOccupancyTest {

  @Test
  void the_first_place_occupies_the_room_and_counts_one_session_of_one_user() {
    RoomOccupancy after = RoomOccupancy.empty("#r").admit("alice", 10);

    assertThat(after.sessions()).isEqualTo(1);
    assertThat(after.users()).isEqualTo(1);
    assertThat(after.version()).isEqualTo(1);
  }

  @Test
  void two_sessions_of_one_user_count_two_sessions_and_one_user() {
    RoomOccupancy after = RoomOccupancy.empty("#r").admit("alice", 10).admit("alice", 10).admit("bob", 10);

    assertThat(after.sessions()).isEqualTo(3);
    assertThat(after.users()).isEqualTo(2);
    assertThat(after.release("alice").users()).as("alice still has a session there").isEqualTo(2);
    assertThat(after.release("alice").release("alice").users()).isEqualTo(1);
  }

  @Test
  void a_full_room_admits_nobody() {
    RoomOccupancy full = RoomOccupancy.empty("#r").admit("alice", 2).admit("bob", 2);

    assertThat(full.admit("carol", 2)).isNull();
  }

  @Test
  void the_last_release_empties_the_room() {
    RoomOccupancy after = RoomOccupancy.empty("#r").admit("alice", 10).release("alice");

    assertThat(after.isEmpty()).isTrue();
    assertThat(after.perUser()).isEmpty();
  }

  @Test
  void a_release_the_counters_never_admitted_leaves_the_counts_alone() {
    RoomOccupancy one = new RoomOccupancy("#r", 1, Map.of("alice", 1), 5);

    RoomOccupancy after = one.release("mallory");

    assertThat(after.sessions()).isEqualTo(1);
    assertThat(after.users()).isEqualTo(1);
    assertThat(after.version()).isEqualTo(6);
  }
}
