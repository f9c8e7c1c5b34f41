package dev.presence.load.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presence.load.stats.Percentiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateStepTest {

  private static RateStep step(double offered, double achieved, double p99) {
    return new RateStep(offered, offered, achieved, new Percentiles(100, 1, p99, p99, p99), 50, 20);
  }

  @Test
  void a_step_is_sustained_with_95_percent_achieved_and_p99_under_the_bound() {
    assertTrue(step(1000, 950, 100).sustained(100));
    assertFalse(step(1000, 949, 10).sustained(100), "fell behind");
    assertFalse(step(1000, 1000, 101).sustained(100), "too slow");
    assertFalse(new RateStep(1000, 1000, 1000, Percentiles.EMPTY, 0, 0).sustained(100), "nothing came back");
  }

  @Test
  void saturation_is_the_highest_sustained_rate_even_after_one_noisy_step() {
    List<RateStep> steps = List.of(step(1000, 1000, 5), step(2000, 1000, 300), step(4000, 4000, 8),
        step(8000, 3000, 300));
    assertEquals(4000, RateStep.saturation(steps, 100), "one neighbour's burst at 2000/s hides nothing");
    assertEquals(0, RateStep.saturation(List.of(step(1000, 10, 5)), 100));
  }

  @Test
  void stepping_stops_after_two_misses_in_a_row() {
    assertFalse(RateStep.shouldStop(List.of(step(1000, 1000, 5), step(2000, 10, 5)), 100));
    assertFalse(RateStep.shouldStop(List.of(step(1000, 10, 5), step(2000, 2000, 5)), 100));
    assertTrue(RateStep.shouldStop(List.of(step(1000, 1000, 5), step(2000, 10, 5), step(4000, 10, 5)), 100));
  }

  @Test
  void ghost_percentiles_use_the_nearest_rank() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 1000};
    assertEquals(50, GhostScenario.percentile(sorted, 50));
    assertEquals(1000, GhostScenario.percentile(sorted, 99));
    assertTrue(Double.isNaN(GhostScenario.percentile(new long[0], 50)));
  }
}
