package dev.presence.session;

/**
 * The one owner of a connection's {@link SessionState}: every transition goes through {@link #moveTo}, which
 * refuses an illegal one ({@link SessionState#canMoveTo}) with an {@link IllegalStateException}: a bug, which the
 * connection's handler guard turns into a 1011 close and a test turns into a failure, never a silent assignment.
 *
 * <p>Pure (no I/O). Threading: confined to the connection's event loop.
 */
public final class SessionLifecycle {

  private SessionState state = SessionState.AWAITING_HELLO;

  /** @return the current state */
  public SessionState state() {
    return state;
  }

  /**
   * @param expected a state
   * @return whether the session is in it now
   */
  public boolean is(SessionState expected) {
    return state == expected;
  }

  /** @return whether the session has closed (final: every later close path is a no-op) */
  public boolean isClosed() {
    return state == SessionState.CLOSED;
  }

  /**
   * Moves to {@code next}.
   *
   * @param next the new state
   * @throws IllegalStateException if the transition is not allowed
   */
  public void moveTo(SessionState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("illegal session transition " + state + " -> " + next);
    }
    state = next;
  }
}
