package dev.presence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GhostStatsTest {

  @Test
  void percentiles_are_nearest_rank_over_the_sessions_and_a_session_never_gone_fails_the_bound() {
    Map<String, Long> fault = new HashMap<>();
    Map<String, Long> gone = new HashMap<>();
    for (int i = 1; i <= 100; i++) {
      fault.put("s" + i, 1_000L);
      gone.put("s" + i, 1_000L + i);
    }
    GhostStats stats = GhostStats.of("rst", fault, gone, 250L);
    assertThat(stats.p50()).isEqualTo(50);
    assertThat(stats.p99()).isEqualTo(99);
    assertThat(stats.max()).isEqualTo(100);
    assertThat(stats.withinBound()).isTrue();

    fault.put("ghost", 1_000L);
    assertThat(GhostStats.of("rst", fault, gone, 250L).neverGone()).isEqualTo(1);
    assertThat(GhostStats.of("rst", fault, gone, 250L).withinBound()).isFalse();
  }

  @Test
  void a_p99_over_the_bound_fails_and_an_unbounded_class_is_report_only() {
    Map<String, Long> fault = Map.of("a", 0L, "b", 0L);
    Map<String, Long> gone = Map.of("a", 100L, "b", 400L);
    assertThat(GhostStats.of("fin", fault, gone, 250L).withinBound()).isFalse();
    assertThat(GhostStats.of("drain", fault, gone, null).withinBound()).isTrue();
  }

  @Test
  void a_missed_goal_is_reported_but_does_not_fail_the_bound() {
    Map<String, Long> fault = Map.of("a", 0L, "b", 0L);
    Map<String, Long> gone = Map.of("a", 100L, "b", 400L);
    GhostStats stats = GhostStats.of("rst", fault, gone, 1_000L, 250L);
    assertThat(stats.withinBound()).isTrue();
    assertThat(stats.meetsGoal()).isFalse();
    assertThat(GhostStats.of("rst", fault, Map.of("a", 100L), 1_000L, 250L).meetsGoal()).isFalse();
    assertThat(GhostStats.of("rst", fault, Map.of("a", 100L, "b", 200L), 1_000L, 250L).meetsGoal()).isTrue();
  }
}
