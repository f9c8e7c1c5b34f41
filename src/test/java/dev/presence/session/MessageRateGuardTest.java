package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.session.MessageRateGuard.Verdict;
import org.junit.jupiter.api.Test;

/** The rate rule as a story: a burst passes, a little more is refused, a flood is abuse, patience forgives. */
class MessageRateGuardTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void a_burst_passes_then_refusals_then_abuse() {
    MessageRateGuard guard = new MessageRateGuard(1, 3, 2, 0);
    assertThat(guard.check(0)).isEqualTo(Verdict.PASS);
    assertThat(guard.check(0)).isEqualTo(Verdict.PASS);
    assertThat(guard.check(0)).isEqualTo(Verdict.PASS);
    assertThat(guard.check(0)).isEqualTo(Verdict.LIMITED);
    assertThat(guard.check(0)).isEqualTo(Verdict.LIMITED);
    assertThat(guard.check(0)).isEqualTo(Verdict.ABUSE);
  }

  @Test
  void refusals_are_forgiven_over_the_strike_window() {
    MessageRateGuard guard = new MessageRateGuard(1, 1, 2, 0);
    guard.check(0);
    assertThat(guard.check(0)).isEqualTo(Verdict.LIMITED);
    assertThat(guard.check(0)).isEqualTo(Verdict.LIMITED);
    long later = MessageRateGuard.STRIKE_WINDOW_S * SECOND;
    assertThat(guard.check(later)).as("tokens are back").isEqualTo(Verdict.PASS);
    assertThat(guard.check(later)).as("and so are the strikes").isEqualTo(Verdict.LIMITED);
  }
}
