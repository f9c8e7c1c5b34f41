package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Guards how a node notices that it was paused: gaps between 1 s ticks longer than 3 s. */
class PauseDetectorTest {

  @Test
  void regular_ticks_are_no_pause_and_a_long_gap_is_reported_once_with_its_length() {
    PauseDetector pauses = new PauseDetector();
    assertThat(pauses.tick(1_000)).isZero();
    assertThat(pauses.tick(2_000)).isZero();
    assertThat(pauses.tick(5_000)).as("exactly the gap limit is still regular").isZero();
    assertThat(pauses.tick(13_000)).isEqualTo(8_000);
    assertThat(pauses.tick(14_000)).isZero();
  }

  @Test
  void a_node_is_overdue_while_standing_still_and_suspect_for_a_window_after_waking() {
    PauseDetector pauses = new PauseDetector();
    assertThat(pauses.overdue(0)).as("before the first tick").isFalse();
    pauses.tick(1_000);
    assertThat(pauses.overdue(4_000)).isFalse();
    assertThat(pauses.overdue(4_001)).isTrue();
    assertThat(pauses.resumedWithin(4_001, 30_000)).as("not yet woken").isFalse();

    pauses.tick(20_000);
    assertThat(pauses.resumedWithin(49_999, 30_000)).isTrue();
    assertThat(pauses.resumedWithin(50_000, 30_000)).isFalse();
  }
}
