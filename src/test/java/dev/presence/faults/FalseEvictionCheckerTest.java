package dev.presence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FalseEvictionCheckerTest {

  final History history = new History();

  void closed(long at, String client, int port, int code) {
    history.accept(new HistoryEvent(at, client, "u-" + client, port, EventType.CLOSED, null, code, null, null, null));
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

  void welcomed(long at, String client, int port, String session) {
    history.accept(new HistoryEvent(at, client, "u-" + client, port, EventType.WELCOME, null, null, null, session, null));
  }

  @Test
  void a_live_member_seen_leaving_a_room_is_a_false_room_eviction() {
    welcomed(1, "member", 8081, "s-member");

    FalseEvictionChecker.Verdict verdict = FalseEvictionChecker.checkRooms(history, Set.of(), java.util.List.of(
        new RoomLeave(8082, "#r", "s-member", "gone", 5), new RoomLeave(8081, "#r", "s-member", "gone", 6)));

    assertThat(verdict.falseEvictions()).as("once per member and room, however many watchers saw it").isEqualTo(1);
    assertThat(verdict.examples()).singleElement().asString().contains("#r (gone)");
  }

  @Test
  void room_leaves_after_the_member_acted_or_of_faulted_members_are_not_false_and_reasons_are_tallied() {
    welcomed(1, "leaver", 8081, "s-leaver");
    event(4, "leaver", 8081, EventType.RESET_SENT);
    welcomed(1, "killed", 8081, "s-killed");
    history.accept(new HistoryEvent(3, "killed", "u-killed", 8081, EventType.CLIENT_KILLED, null, null, null,
        "s-killed", null));
    welcomed(1, "onDeadNode", 8083, "s-dead");
    welcomed(1, "early", 8081, "s-early");
    event(9, "early", 8081, EventType.CLOSE_SENT);

    FalseEvictionChecker.Verdict verdict = FalseEvictionChecker.checkRooms(history, Set.of(8083), java.util.List.of(
        new RoomLeave(8082, "#r", "s-leaver", "reset", 5), new RoomLeave(8082, "#r", "s-killed", "reset", 5),
        new RoomLeave(8082, "#r", "s-dead", "node_lost", 5), new RoomLeave(8082, "#r", "s-early", "closed", 5),
        new RoomLeave(8082, "#r", "s-watcher", "closed", 5)));

    assertThat(verdict.falseEvictions()).as("left before its own close was sent").isEqualTo(1);
    assertThat(verdict.faultedTold()).isEqualTo(Map.of("reset", 2, "node_lost", 1));
  }
}
