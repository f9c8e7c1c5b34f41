package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A connection's liveness: pings when due, eviction after silence, idle after no application message. */
class SessionLivenessTest {

  static final long START = 1_000_000;
  private final SessionLiveness liveness = new SessionLiveness(new HeartbeatPolicy(1_000, 3_000), 5_000, START);

  @Test
  void a_quiet_client_is_pinged_every_interval_and_evicted_after_the_timeout() {
    assertThat(liveness.check(START + 500, 1, 0)).isEqualTo(HeartbeatPolicy.Action.NONE);
    assertThat(liveness.check(START + 1_000, 2, 0)).isEqualTo(HeartbeatPolicy.Action.PING);
    assertThat(liveness.check(START + 1_500, 3, 0)).as("ping just sent").isEqualTo(HeartbeatPolicy.Action.NONE);
    assertThat(liveness.check(START + 3_001, 4, 0)).isEqualTo(HeartbeatPolicy.Action.EVICT);
  }

  @Test
  void any_frame_from_the_client_keeps_it_alive() {
    liveness.heard(START + 2_500);

    assertThat(liveness.check(START + 3_001, 1, 0)).isNotEqualTo(HeartbeatPolicy.Action.EVICT);
    assertThat(liveness.lastHeardAt()).isEqualTo(START + 2_500);
  }

  @Test
  void a_pong_gives_the_round_trip_of_the_ping_it_answers_once() {
    liveness.check(START + 1_000, 10_000, 0);

    assertThat(liveness.pong(10_750)).isEqualTo(750);
    assertThat(liveness.pong(11_000)).as("unsolicited").isEqualTo(-1);
  }

  @Test
  void heartbeats_do_not_count_as_activity_but_messages_do() {
    liveness.heard(START + 4_000);
    assertThat(liveness.idleAt(START + 5_000)).isTrue();

    liveness.active(START + 5_000);
    assertThat(liveness.idleAt(START + 9_999)).isFalse();
    assertThat(liveness.idleAt(START + 10_000)).isTrue();
  }

  @Test
  void the_nodes_own_pause_is_not_the_clients_silence() {
    long woke = START + 10_000; // the node stood still for 10 s, longer than the 3 s timeout

    assertThat(liveness.check(woke, 1, woke)).as("pinged, not evicted").isEqualTo(HeartbeatPolicy.Action.PING);
    assertThat(liveness.check(woke + 3_001, 2, woke)).as("silent a whole timeout after the pause")
        .isEqualTo(HeartbeatPolicy.Action.EVICT);
    assertThat(liveness.heardWithin(woke, 3_000)).as("not heard: the pause is not a frame").isFalse();
  }
}
