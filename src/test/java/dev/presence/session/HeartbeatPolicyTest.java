package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.session.HeartbeatPolicy.Action;
import org.junit.jupiter.api.Test;

/** Guards the heartbeat rule: ping every interval, evict only after more than the timeout of silence. */
class HeartbeatPolicyTest {

  private static final long INTERVAL = 10_000;
  private static final long TIMEOUT = 30_000;
  private static final long CHECK_PERIOD = 1_000;
  private static final long HOUR = 3_600_000;
  private static final long T0 = 1_700_000_000_000L;

  private final HeartbeatPolicy policy = new HeartbeatPolicy(INTERVAL, TIMEOUT);

  @Test
  void nothing_is_due_right_after_a_ping() {
    assertThat(policy.decide(T0, T0, T0)).isEqualTo(Action.NONE);
    assertThat(policy.decide(T0, T0, T0 + INTERVAL - 1)).isEqualTo(Action.NONE);
  }

  @Test
  void ping_is_sent_once_the_interval_has_elapsed() {
    assertThat(policy.decide(T0, T0, T0 + INTERVAL)).isEqualTo(Action.PING);
    assertThat(policy.decide(T0 + INTERVAL, T0, T0 + INTERVAL + 1)).isEqualTo(Action.PING);
  }

  @Test
  void silent_session_is_evicted_just_after_the_timeout_and_not_at_it() {
    assertThat(policy.decide(T0, T0 + 20_000, T0 + TIMEOUT)).isNotEqualTo(Action.EVICT);
    assertThat(policy.decide(T0, T0 + 20_000, T0 + TIMEOUT + 1)).isEqualTo(Action.EVICT);
  }

  @Test
  void eviction_wins_over_a_due_ping() {
    assertThat(policy.decide(T0, T0, T0 + TIMEOUT + 1)).isEqualTo(Action.EVICT);
  }

  @Test
  void client_that_keeps_sending_frames_is_never_evicted_in_an_hour_of_checks() {
    long lastSeen = T0;
    long lastPing = T0;
    int pings = 0;
    for (long now = T0 + CHECK_PERIOD; now <= T0 + HOUR; now += CHECK_PERIOD) {
      lastSeen = now - 1;
      Action action = policy.decide(lastSeen, lastPing, now);
      assertThat(action).as("at +%d ms", now - T0).isNotEqualTo(Action.EVICT);
      if (action == Action.PING) {
        lastPing = now;
        pings++;
      }
    }
    assertThat(pings).isEqualTo((int) (HOUR / INTERVAL));
  }

  @Test
  void client_that_only_answers_pings_is_never_evicted_in_an_hour_of_checks() {
    long lastSeen = T0;
    long lastPing = T0;
    long firstCheck = T0 + 337; // timers jitter their first tick
    for (long now = firstCheck; now <= T0 + HOUR; now += CHECK_PERIOD) {
      Action action = policy.decide(lastSeen, lastPing, now);
      assertThat(action).as("at +%d ms", now - T0).isNotEqualTo(Action.EVICT);
      if (action == Action.PING) {
        lastPing = now;
        lastSeen = now + 250; // the pong arrives a quarter second later
      }
    }
  }

  @Test
  void silent_client_is_evicted_at_the_first_check_after_the_timeout() {
    long lastSeen = T0;
    long lastPing = T0;
    long firstCheck = T0 + 337;
    long evictedAt = -1;
    int pings = 0;
    for (long now = firstCheck; now <= T0 + HOUR; now += CHECK_PERIOD) {
      Action action = policy.decide(lastSeen, lastPing, now);
      if (action == Action.EVICT) {
        evictedAt = now;
        break;
      }
      if (action == Action.PING) {
        lastPing = now;
        pings++;
      }
    }
    assertThat(evictedAt - T0).isEqualTo(TIMEOUT + 337);
    assertThat(pings).as("pings sent before giving up").isEqualTo(2);
  }
}
