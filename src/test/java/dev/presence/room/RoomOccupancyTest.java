package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomOccupancyTest {

  @Test
  void the_first_place_occupies_the_room_and_counts_one_session_of_one_user() {
    RoomOccupancy after = RoomOccupancy.empty("#r").admit(true, 10);

    assertThat(after).isEqualTo(new RoomOccupancy("#r", 1, 1, 1));
  }

  @Test
  void a_users_second_session_counts_a_session_and_no_user() {
    RoomOccupancy after = RoomOccupancy.empty("#r").admit(true, 10).admit(false, 10).admit(true, 10);

    assertThat(after.sessions()).isEqualTo(3);
    assertThat(after.users()).isEqualTo(2);
    assertThat(after.release(false).users()).as("the user still has a session there").isEqualTo(2);
    assertThat(after.release(false).release(true).users()).isEqualTo(1);
  }

  @Test
  void a_full_room_admits_nobody() {
    RoomOccupancy full = RoomOccupancy.empty("#r").admit(true, 2).admit(true, 2);

    assertThat(full.admit(true, 2)).isNull();
  }

  @Test
  void the_last_release_empties_the_room() {
    RoomOccupancy after = RoomOccupancy.empty("#r").admit(true, 10).release(true);

    assertThat(after.isEmpty()).isTrue();
    assertThat(after.users()).isZero();
    assertThat(after.version()).isEqualTo(2);
  }

  @Test
  void counts_never_go_below_zero() {
    RoomOccupancy after = RoomOccupancy.empty("#r").release(true);

    assertThat(after.sessions()).isZero();
    assertThat(after.users()).isZero();
  }

  @Test
  void a_recount_counts_each_user_once_and_each_session() {
    RoomTally recount = RoomTally.ofSessions("#r", List.of("alice", "bob", "alice"));

    assertThat(recount.sessions()).isEqualTo(3);
    assertThat(recount.users()).isEqualTo(2);
    assertThat(recount.perUser()).containsEntry("alice", 2).containsEntry("bob", 1);
  }
}
