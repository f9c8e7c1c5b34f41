package dev.presence.load.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionListTest {

  private static LoadSession session(int index) {
    return new LoadSession(index, 0, false, 0, null);
  }

  @Test
  void removal_swaps_the_last_into_the_hole_and_round_robin_visits_everyone() {
    SessionList list = new SessionList();
    LoadSession a = session(1);
    LoadSession b = session(2);
    LoadSession c = session(3);
    list.add(a);
    list.add(b);
    list.add(c);
    list.remove(a);
    assertEquals(2, list.size());
    assertSame(c, list.get(0));
    assertEquals(0, c.slot);
    assertEquals(-1, a.slot);
    assertFalse(list.remove(a), "removing twice is a no-op");
    Set<LoadSession> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(list.next());
    }
    assertEquals(Set.of(b, c), seen);
  }

  @Test
  void an_empty_list_has_no_next() {
    assertNull(new SessionList().next());
  }

  @Test
  void the_pacer_counts_what_is_due_since_the_start_so_a_late_tick_catches_up() {
    assertEquals(0, Pacer.due(1000, 0));
    assertEquals(10, Pacer.due(1000, 10_000_000L));
    assertEquals(250, Pacer.due(1000, 250_000_000L), "one tick 250 ms late sends the whole backlog");
    assertEquals(0, Pacer.due(0, 1_000_000_000L));
  }
}
