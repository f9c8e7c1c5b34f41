package dev.presence.load.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramsTest {

  @Test
  void the_wire_form_round_trips_and_percentiles_are_in_milliseconds() {
    Histogram h = Histograms.newMicros();
    for (int i = 1; i <= 1000; i++) {
      Histograms.recordNanos(h, i * 1_000_000L); // 1..1000 ms
    }
    Histogram back = Histograms.decode(Histograms.encode(h));
    Percentiles p = Percentiles.ofMicros(back);
    assertEquals(1000, p.count());
    assertEquals(500, p.p50(), 1);
    assertEquals(990, p.p99(), 1);
    assertEquals(1000, p.max(), 1);
  }

  @Test
  void a_stall_beyond_the_range_is_clamped_not_thrown() {
    Histogram h = Histograms.newMicros();
    Histograms.recordNanos(h, 3_600_000_000_000L);
    assertEquals(Histograms.MAX_MICROS / 1000.0, Percentiles.ofMicros(h).max(), Histograms.MAX_MICROS / 1000.0 * 1e-3);
  }

  @Test
  void garbage_is_refused_with_one_exception_type() {
    assertThrows(IllegalArgumentException.class, () -> Histograms.decode("bm90IGEgaGlzdG9ncmFt"));
  }
}
