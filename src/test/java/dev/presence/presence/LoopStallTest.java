package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopStallTest {

  /** The defaults: a 3 s pause threshold; entries may be swept after 31 s (30 s timeout and a 1 s check period). */
  private static final long PAUSE_GAP_MS = 3_000;
  private static final long SWEEPABLE_GAP_MS = 31_000;

  @Test
  void a_standstill_of_the_whole_process_that_made_the_tick_late_is_a_pause_and_rechecks() {
    LoopStall stall = LoopStall.judge(6_200, 6_000, PAUSE_GAP_MS, SWEEPABLE_GAP_MS);
    assertThat(stall).isEqualTo(LoopStall.PROCESS_PAUSED);
    assertThat(stall.rechecks()).isTrue();
    assertThat(LoopStall.judge(3_400, 1_500, PAUSE_GAP_MS, SWEEPABLE_GAP_MS)).as("half the threshold standing still")
        .isEqualTo(LoopStall.PROCESS_PAUSED);
  }

  @Test
  void a_loop_late_while_the_process_ran_is_busy_and_rechecks_nothing() {
    LoopStall stall = LoopStall.judge(12_000, 0, PAUSE_GAP_MS, SWEEPABLE_GAP_MS);
    assertThat(stall).isEqualTo(LoopStall.LOOP_BUSY);
    assertThat(stall.rechecks()).isFalse();
    assertThat(LoopStall.judge(4_000, 1_400, PAUSE_GAP_MS, SWEEPABLE_GAP_MS))
        .as("young collections within the gap do not make it a pause").isEqualTo(LoopStall.LOOP_BUSY);
  }

  @Test
  void a_loop_that_stood_still_long_enough_to_be_swept_elsewhere_rechecks_though_the_process_ran() {
    assertThat(LoopStall.judge(30_999, 0, PAUSE_GAP_MS, SWEEPABLE_GAP_MS)).isEqualTo(LoopStall.LOOP_BUSY);
    LoopStall stall = LoopStall.judge(31_000, 0, PAUSE_GAP_MS, SWEEPABLE_GAP_MS);
    assertThat(stall).isEqualTo(LoopStall.LOOP_STALLED);
    assertThat(stall.rechecks()).isTrue();
  }

  @Test
  void each_cause_has_its_own_metric_tag() {
    assertThat(LoopStall.values()).extracting(LoopStall::metricName)
        .containsExactly("process_paused", "loop_stalled", "loop_busy");
  }
}
