package dev.presence.load.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RoomPlanTest {

  /** The two plans the scenario runs (smoke and full) and a small odd one. */
  private static final RoomPlan[] PLANS = {
      new RoomPlan(300, 30, 100, 1.0, 2, 50, 13),
      new RoomPlan(19_000, 2000, 5000, 1.0, 2, 500, 13),
      new RoomPlan(101, 7, 11, 0.7, 3, 60, 99)};

  @Test
  void sizes_are_zipf_like_within_bounds_and_hold_every_small_place() {
    for (RoomPlan plan : PLANS) {
      int[] sizes = plan.smallSizes();
      assertEquals(plan.memberships() - plan.bigMembers(), Arrays.stream(sizes).sum(), plan.toString());
      for (int k = 0; k < sizes.length; k++) {
        assertTrue(sizes[k] >= plan.minSmall() && sizes[k] <= plan.maxSmall(), plan + " room " + (k + 1));
        if (k > 0) {
          assertTrue(sizes[k] <= sizes[k - 1], "non-increasing: " + plan);
        }
      }
    }
    int[] full = PLANS[1].smallSizes();
    assertEquals(500, full[0]);
    assertTrue(full[1999] < 10, "the tail is small: " + full[1999]);
  }

  @Test
  void every_session_has_three_distinct_rooms_and_every_room_its_size() {
    for (RoomPlan plan : PLANS) {
      int[][] rooms = plan.assignment();
      int[] members = new int[plan.smallRooms() + 1];
      for (int s = 0; s < plan.sessions(); s++) {
        assertEquals(3, Arrays.stream(rooms[s]).distinct().count(), plan + " session " + s);
        assertEquals(s < plan.bigMembers(), Arrays.stream(rooms[s]).anyMatch(r -> r == 0), "big room, session " + s);
        for (int r : rooms[s]) {
          members[r]++;
        }
      }
      assertEquals(plan.bigMembers(), members[0]);
      assertArrayEquals(plan.smallSizes(), Arrays.copyOfRange(members, 1, members.length), plan.toString());
      assertArrayEquals(rooms[plan.sessions() - 1], plan.assignment()[plan.sessions() - 1], "deterministic");
    }
  }

  @Test
  void names_round_trip_and_the_query_room_is_near_fifty() {
    assertEquals("big#lobby", RoomPlan.roomName(0));
    assertEquals("s#12", RoomPlan.roomName(12));
    assertEquals(PLANS[1], RoomPlan.fromJson(PLANS[1].toJson()));
    RoomPlan full = PLANS[1];
    assertTrue(Math.abs(full.smallSizes()[full.smallRoomNear(50) - 1] - 50) <= 1);
  }
}
