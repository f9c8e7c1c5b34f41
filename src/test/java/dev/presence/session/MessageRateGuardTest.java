package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.session.MessageRateGuard.Frame;
import dev.presence.session.MessageRateGuard.Verdict;
import java.util.stream.IntStream;
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

  @Test
  void a_ping_frame_costs_a_quarter_of_a_message_so_a_ping_flood_is_limited_then_abuse() {
    MessageRateGuard guard = new MessageRateGuard(20, 40, 50, 0);
    int passed = 0;
    while (guard.check(Frame.CONTROL, 0) == Verdict.PASS) {
      passed++;
    }
    assertThat(passed).as("ping frames in a burst of 40 messages").isEqualTo(160);
    for (int refused = 1; refused < 50; refused++) {
      assertThat(guard.check(Frame.CONTROL, 0)).as("refusal %d", refused + 1).isEqualTo(Verdict.LIMITED);
    }
    assertThat(guard.check(Frame.CONTROL, 0)).as("the 51st refusal within the window").isEqualTo(Verdict.ABUSE);
  }

  @Test
  void a_sustained_ping_frame_rate_of_four_times_the_message_rate_passes_and_more_does_not() {
    MessageRateGuard guard = new MessageRateGuard(20, 40, 50, 0);
    for (int i = 0; i < 800; i++) {
      assertThat(guard.check(Frame.CONTROL, i * SECOND / 80)).as("frame %d at 80/s", i).isEqualTo(Verdict.PASS);
    }
    MessageRateGuard faster = new MessageRateGuard(20, 40, 50, 0);
    long refused = IntStream.range(0, 800)
        .filter(i -> faster.check(Frame.CONTROL, i * SECOND / 100) != Verdict.PASS).count();
    assertThat(refused).as("frames refused at 100/s for 8 s").isPositive();
  }

  @Test
  void empty_continuation_frames_cost_a_message_each() {
    MessageRateGuard guard = new MessageRateGuard(1, 3, 1, 0);
    assertThat(guard.check(Frame.DATA, 0)).as("the text frame").isEqualTo(Verdict.PASS);
    assertThat(guard.check(Frame.DATA, 0)).as("an empty continuation").isEqualTo(Verdict.PASS);
    assertThat(guard.check(Frame.DATA, 0)).as("another").isEqualTo(Verdict.PASS);
    assertThat(guard.check(Frame.DATA, 0)).isEqualTo(Verdict.LIMITED);
    assertThat(guard.check(Frame.DATA, 0)).isEqualTo(Verdict.ABUSE);
  }

  @Test
  void pongs_answering_our_pings_are_never_limited_even_when_the_budget_is_spent() {
    MessageRateGuard guard = new MessageRateGuard(1, 1, 1, 0);
    guard.check(Frame.DATA, 0);
    assertThat(guard.check(Frame.PONG_ANSWER, 0)).isEqualTo(Verdict.PASS);
    assertThat(guard.check(Frame.PONG_ANSWER, 0)).isEqualTo(Verdict.PASS);
    assertThat(guard.check(Frame.CONTROL, 0)).as("a ping is not free").isEqualTo(Verdict.LIMITED);
  }
}
