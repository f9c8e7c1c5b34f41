package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The session lifecycle: every transition through the state machine; an illegal one is a bug that throws. */
class SessionLifecycleTest {

  private final SessionLifecycle lifecycle = new SessionLifecycle();

  @Test
  void a_session_goes_from_hello_to_active_and_closes_once() {
    assertThat(lifecycle.is(SessionState.AWAITING_HELLO)).isTrue();
    lifecycle.moveTo(SessionState.JOINING);
    lifecycle.moveTo(SessionState.ACTIVE);
    lifecycle.moveTo(SessionState.CLOSED);

    assertThat(lifecycle.isClosed()).isTrue();
  }

  @Test
  void a_connection_may_close_before_hello_or_while_joining() {
    lifecycle.moveTo(SessionState.CLOSED);
    assertThat(lifecycle.state()).isEqualTo(SessionState.CLOSED);

    SessionLifecycle joining = new SessionLifecycle();
    joining.moveTo(SessionState.JOINING);
    joining.moveTo(SessionState.CLOSED);
    assertThat(joining.isClosed()).isTrue();
  }

  @Test
  void skipping_the_join_is_refused_and_changes_nothing() {
    assertThatThrownBy(() -> lifecycle.moveTo(SessionState.ACTIVE))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWAITING_HELLO -> ACTIVE");
    assertThat(lifecycle.state()).isEqualTo(SessionState.AWAITING_HELLO);
  }

  @Test
  void a_closed_session_never_comes_back_and_never_closes_twice() {
    lifecycle.moveTo(SessionState.CLOSED);

    for (SessionState next : SessionState.values()) {
      assertThatThrownBy(() -> lifecycle.moveTo(next)).isInstanceOf(IllegalStateException.class);
    }
    assertThat(lifecycle.isClosed()).isTrue();
  }
}
