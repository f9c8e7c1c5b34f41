package dev.presence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FalseEvictionCheckerTest {

  final History history = new History();

  void closed(long at, String client, int port, int code) {
    history.accept(new HistoryEvent(at, client, "u-" + client, port, EventType.CLOSED, null, code, null, null));
  }

  void event(long at, String client, int port, EventType type) {
    history.accept(HistoryEvent.of(at, client, "u-" + client, port, type, type == EventType.NICK_LOST ? "N" : null));
  }

  @Test
  void a_healthy_session_closed_by_the_server_is_a_false_eviction() {
    event(1, "healthy", 8081, EventType.WELCOME);
    closed(2, "healthy", 8081, 4002);

    assertThat(FalseEvictionChecker.check(history, Set.of(), Set.of()).falseEvictions()).isEqualTo(1);
  }

  @Test
  void a_healthy_session_told_nick_lost_is_a_false_eviction() {
    event(1, "healthy", 8081, EventType.WELCOME);
    event(2, "healthy", 8081, EventType.NICK_LOST);

    assertThat(FalseEvictionChecker.check(history, Set.of(), Set.of()).falseEvictions()).isEqualTo(1);
  }

  @Test
  void closes_the_client_asked_for_or_the_scenario_caused_are_not_false_evictions() {
    event(1, "leaver", 8081, EventType.WELCOME);
    event(2, "leaver", 8081, EventType.BYE_SENT);
    closed(3, "leaver", 8081, 1000);
    event(1, "replaced", 8082, EventType.WELCOME);
    closed(3, "replaced", 8082, 4001);

    assertThat(FalseEvictionChecker.check(history, Set.of(), Set.of(4001)).falseEvictions()).isZero();
  }

  @Test
  void sessions_of_a_faulted_node_or_a_killed_client_are_excepted_and_what_they_were_told_is_tallied() {
    event(1, "stale1", 8083, EventType.WELCOME);
    event(5, "stale1", 8083, EventType.NICK_LOST);
    closed(6, "stale1", 8083, 4002);
    event(1, "stale2", 8083, EventType.WELCOME);
    closed(6, "stale2", 8083, 4002);
    event(1, "frozen", 8081, EventType.WELCOME);
    event(2, "frozen", 8081, EventType.CLIENT_STOPPED);

    FalseEvictionChecker.Verdict verdict = FalseEvictionChecker.check(history, Set.of(8083), Set.of());
    assertThat(verdict.falseEvictions()).isZero();
    assertThat(verdict.faultedTold()).isEqualTo(Map.of("nick.lost", 1, "close 4002", 2));
  }
}
