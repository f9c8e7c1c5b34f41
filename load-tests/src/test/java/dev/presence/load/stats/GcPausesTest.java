package dev.presence.load.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcPausesTest {

  private static final List<String> LOG = List.of(
      "[0.012s][info][gc] Using G1",
      "[3.501s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 25M->6M(512M) 4.210ms",
      "[12.250s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 300M->120M(512M) 31.002ms",
      "[20.000s][info][gc] GC(2) Pause Full (System.gc()) 130M->90M(512M) 85.500ms",
      "[20.100s][info][gc] GC(3) Concurrent Mark Cycle 12.000ms");

  @Test
  void counts_pauses_that_started_in_the_window_and_ignores_concurrent_phases() {
    GcPauses pauses = GcPauses.of(LOG, 3.0, 15.0);
    assertEquals(2, pauses.count());
    assertEquals(35.212, pauses.totalMs(), 1e-9);
    assertEquals(31.002, pauses.maxMs(), 1e-9);
    assertEquals(1, GcPauses.of(LOG, 19.0, 30.0).count(), "the concurrent cycle is not a pause");
  }

  @Test
  void no_pause_has_no_longest_pause_and_sums_combine() {
    GcPauses none = GcPauses.of(LOG, 100, 200);
    assertEquals(0, none.count());
    assertTrue(Double.isNaN(none.maxMs()));
    assertEquals(31.002, none.plus(GcPauses.of(LOG, 3.0, 15.0)).maxMs(), 1e-9);
  }
}
