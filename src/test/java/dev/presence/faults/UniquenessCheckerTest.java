package dev.presence.faults;

import static dev.presence.faults.EventType.CLIENT_STOPPED;
import static dev.presence.faults.EventType.CLOSED;
import static dev.presence.faults.EventType.JOINED;
import static dev.presence.faults.EventType.LEFT;
import static dev.presence.faults.EventType.NICK_LOST;
import static dev.presence.faults.EventType.NICK_OK;
import static dev.presence.faults.EventType.NICK_RESTORED;
import static dev.presence.faults.EventType.RELEASE_SENT;
import static dev.presence.faults.EventType.WELCOME;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UniquenessCheckerTest {

  static final long TIMEOUT = 30_000;
  final History history = new History();

  void event(long at, String client, String user, int port, EventType type, String nick) {
    history.accept(HistoryEvent.of(at, client, user, port, type, nick));
  }

  @Test
  void a_nickname_released_then_claimed_by_another_user_has_one_owner_at_a_time() {
    event(100, "a", "alice", 1, NICK_OK, "Hot");
    event(200, "a", "alice", 1, RELEASE_SENT, null);
    event(250, "b", "bob", 2, NICK_OK, "hot");

    assertThat(UniquenessChecker.check(history, TIMEOUT).duplicateOwners()).isZero();
  }

  @Test
  void two_users_granted_the_same_nickname_while_both_connected_are_a_duplicate_owner() {
    event(100, "a", "alice", 1, WELCOME, "Hot");
    event(300, "b", "bob", 2, NICK_OK, "HOT");
    event(400, "a", "alice", 1, CLOSED, null);

    UniquenessChecker.Verdict verdict = UniquenessChecker.check(history, TIMEOUT);
    assertThat(verdict.duplicateOwners()).isEqualTo(1);
    assertThat(verdict.examples()).hasSize(1);
  }

  @Test
  void a_takeover_by_the_same_user_while_the_old_node_sleeps_is_a_same_user_overlap_not_a_duplicate() {
    event(100, "old", "petra", 1, WELCOME, "Pax");
    history.nodeWentSilent(1, 1_000);
    event(7_000, "new", "petra", 2, WELCOME, "Pax");
    event(9_000, "old", "petra", 1, NICK_LOST, "Pax");

    UniquenessChecker.Verdict verdict = UniquenessChecker.check(history, TIMEOUT);
    assertThat(verdict.duplicateOwners()).isZero();
    assertThat(verdict.sameUserOverlaps()).isEqualTo(1);
  }

  @Test
  void a_client_of_a_silent_node_stops_holding_after_the_heartbeat_timeout_even_if_never_told() {
    event(100, "stale", "petra", 1, NICK_OK, "Pax");
    history.nodeWentSilent(1, 1_000);
    event(1_000 + TIMEOUT + 1, "rival", "rolf", 2, NICK_OK, "Pax");

    assertThat(UniquenessChecker.check(history, TIMEOUT).duplicateOwners()).isZero();
  }

  @Test
  void a_frozen_client_holds_until_the_heartbeat_timeout_after_its_freeze() {
    event(100, "frozen", "fred", 1, NICK_OK, "Fred");
    event(1_000, "frozen", "fred", 1, CLIENT_STOPPED, null);
    event(1_000 + TIMEOUT - 1, "early", "eve", 2, NICK_OK, "Fred");
    event(1_000 + TIMEOUT + 5, "early", "eve", 2, RELEASE_SENT, null);

    assertThat(UniquenessChecker.check(history, TIMEOUT).duplicateOwners()).isEqualTo(1);
  }

  @Test
  void changing_nickname_ends_the_old_holding_when_the_new_one_is_granted() {
    event(100, "a", "alice", 1, NICK_OK, "One");
    event(200, "a", "alice", 1, NICK_OK, "Two");
    event(300, "b", "bob", 2, NICK_OK, "One");

    assertThat(UniquenessChecker.check(history, TIMEOUT).duplicateOwners()).isZero();
  }

  void inRoom(long at, String client, String user, EventType type, String nick, String room) {
    history.accept(HistoryEvent.inRoom(at, client, user, 1, type, nick, room));
  }

  @Test
  void a_room_nickname_is_judged_within_its_room_only() {
    inRoom(100, "a", "alice", JOINED, "Moon", "r1");
    inRoom(150, "b", "bob", JOINED, "moon", "r2");
    event(200, "c", "carol", 1, NICK_OK, "Moon");

    UniquenessChecker.Verdict verdict = UniquenessChecker.check(history, TIMEOUT);
    assertThat(verdict.duplicateOwners()).as("one room, another room and the global scope").isZero();
    assertThat(verdict.roomHoldings()).isEqualTo(2);

    inRoom(300, "d", "dave", NICK_OK, "MOON", "r1");
    verdict = UniquenessChecker.check(history, TIMEOUT);
    assertThat(verdict.duplicateOwners()).isEqualTo(1);
    assertThat(verdict.examples()).singleElement().asString().contains("r1");
  }

  @Test
  void a_room_nickname_ends_with_its_room_lost_or_left_or_with_the_session_and_a_global_release_keeps_it() {
    inRoom(100, "a", "alice", JOINED, "Moon", "r1");
    inRoom(100, "a", "alice", JOINED, "Sun", "r2");
    inRoom(100, "a", "alice", JOINED, "Star", "r3");
    event(110, "a", "alice", 1, NICK_OK, "Ann");
    event(200, "a", "alice", 1, RELEASE_SENT, null);
    inRoom(300, "a", "alice", NICK_LOST, "Moon", "r1");
    inRoom(400, "a", "alice", LEFT, null, "r2");
    inRoom(500, "b", "bob", NICK_OK, "Moon", "r1");
    inRoom(500, "b", "bob", JOINED, "Sun", "r2");
    inRoom(550, "b", "bob", JOINED, "Star", "r3");
    event(600, "a", "alice", 1, CLOSED, null);
    inRoom(700, "c", "carol", JOINED, "Star", "r3");

    UniquenessChecker.Verdict verdict = UniquenessChecker.check(history, TIMEOUT);
    assertThat(verdict.duplicateOwners()).as("in r3 only: alice until her close with bob, bob with carol")
        .isEqualTo(2);
    assertThat(verdict.examples()).hasSize(2).allSatisfy(e -> assertThat(e).contains("room=r3"));
  }

  @Test
  void a_room_nickname_given_back_after_self_fencing_is_held_again() {
    inRoom(100, "a", "alice", JOINED, "Moon", "r1");
    inRoom(200, "a", "alice", NICK_LOST, "Moon", "r1");
    inRoom(300, "a", "alice", NICK_RESTORED, "Moon", "r1");
    inRoom(400, "b", "bob", NICK_OK, "Moon", "r1");

    assertThat(UniquenessChecker.check(history, TIMEOUT).duplicateOwners()).isEqualTo(1);
  }
}
