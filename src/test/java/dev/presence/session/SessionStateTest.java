package dev.presence.session;

import static dev.presence.session.SessionState.ACTIVE;
import static dev.presence.session.SessionState.AWAITING_HELLO;
import static dev.presence.session.SessionState.CLOSED;
import static dev.presence.session.SessionState.JOINING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Guards the session lifecycle: hello, join, active, and a single final CLOSED reachable from anywhere. */
class SessionStateTest {

  private static final Map<SessionState, Set<SessionState>> DOCUMENTED = Map.of(
      AWAITING_HELLO, EnumSet.of(JOINING, CLOSED),
      JOINING, EnumSet.of(ACTIVE, CLOSED),
      ACTIVE, EnumSet.of(CLOSED),
      CLOSED, EnumSet.noneOf(SessionState.class));

  private static Set<SessionState> allowedFrom(SessionState from) {
    Set<SessionState> allowed = EnumSet.noneOf(SessionState.class);
    for (SessionState to : SessionState.values()) {
      if (from.canMoveTo(to)) {
        allowed.add(to);
      }
    }
    return allowed;
  }

  @Test
  void only_the_documented_transitions_are_allowed() {
    assertThat(DOCUMENTED).containsOnlyKeys(SessionState.values());
    for (SessionState from : SessionState.values()) {
      assertThat(allowedFrom(from)).as("from %s", from).isEqualTo(DOCUMENTED.get(from));
    }
  }

  @Test
  void a_session_cannot_skip_hello_or_go_back() {
    assertThat(AWAITING_HELLO.canMoveTo(ACTIVE)).isFalse();
    assertThat(ACTIVE.canMoveTo(JOINING)).isFalse();
    assertThat(JOINING.canMoveTo(AWAITING_HELLO)).isFalse();
  }

  @Test
  void no_state_moves_to_itself_so_a_second_hello_or_close_is_refused() {
    for (SessionState state : SessionState.values()) {
      assertThat(state.canMoveTo(state)).as("%s -> %s", state, state).isFalse();
    }
  }

  @Test
  void closed_is_final_so_a_later_close_path_runs_no_second_cleanup() {
    assertThat(allowedFrom(CLOSED)).isEmpty();
  }

  @Test
  void every_state_but_closed_can_close_directly() {
    for (SessionState state : EnumSet.complementOf(EnumSet.of(CLOSED))) {
      assertThat(state.canMoveTo(CLOSED)).as("%s -> CLOSED", state).isTrue();
    }
  }

  @Test
  void every_state_is_reachable_from_a_new_connection() {
    Set<SessionState> seen = EnumSet.of(AWAITING_HELLO);
    ArrayDeque<SessionState> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      for (SessionState next : allowedFrom(todo.poll())) {
        if (seen.add(next)) {
          todo.add(next);
        }
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(SessionState.values());
  }
}
