package dev.presence.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.LatencyUtils.SimplePauseDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which standstills answer "since when". A real standstill needs a stopped process (PausedNodeIT and fault scenario 6
 * SIGSTOP one); here the detector reports made-up pauses through its own notifier thread, as it reports real ones.
 */
class ProcessPausesTest {

  /** A detector that never sees a pause of its own (it wakes once a minute) and reports the ones it is told. */
  private static final class ToldDetector extends SimplePauseDetector {
    ToldDetector() {
      super(TimeUnit.MINUTES.toNanos(1), TimeUnit.HOURS.toNanos(1), 1);
    }

    void report(long lengthMs, long endNanos) {
      notifyListeners(TimeUnit.MILLISECONDS.toNanos(lengthMs), endNanos);
    }
  }

  private final ToldDetector detector = new ToldDetector();
  private final ProcessPauses pauses = new ProcessPauses(detector);

  @AfterEach
  void stop() {
    detector.shutdown();
  }

  @Test
  void answers_the_longest_standstill_that_ended_after_the_given_time() {
    long t0 = System.nanoTime();
    assertThat(pauses.longestSince(t0)).as("none recorded").isZero();
    detector.report(400, t0 + ms(100));
    detector.report(2_500, t0 + ms(5_000));
    detector.report(150, t0 + ms(6_000));
    await().atMost(Duration.ofSeconds(10)).until(() -> pauses.longestSince(t0 + ms(5_500)) == 150);
    assertThat(pauses.longestSince(t0)).isEqualTo(2_500);
    assertThat(pauses.longestSince(t0 + ms(200))).isEqualTo(2_500);
    assertThat(pauses.longestSince(t0 + ms(7_000))).as("all ended before").isZero();
  }

  @Test
  void keeps_the_last_sixteen() {
    long t0 = System.nanoTime();
    detector.report(9_000, t0 + ms(1));
    for (int i = 2; i <= 17; i++) {
      detector.report(200, t0 + ms(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> pauses.longestSince(t0 + ms(16)) == 200);
    assertThat(pauses.longestSince(t0)).as("the oldest dropped").isEqualTo(200);
  }

  @Test
  void the_process_detector_is_one_per_jvm() {
    assertThat(ProcessPauses.shared()).isSameAs(ProcessPauses.shared());
  }

  private static long ms(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
