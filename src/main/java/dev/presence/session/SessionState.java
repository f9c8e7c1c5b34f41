package dev.presence.session;

/**
 * Lifecycle of one WebSocket session. Transitions are explicit ({@link #canMoveTo}); CLOSED is final, so
 * whichever close path fires first (close frame, FIN, RST, send failure, heartbeat timeout, eviction,
 * shutdown) runs the cleanup and every later one is a no-op.
 *
 * <pre>
 *   AWAITING_HELLO --hello--> JOINING --stored--> ACTIVE
 *        \                       \                  \
 *         `-----------------------`------------------`--> CLOSED
 * </pre>
 */
public enum SessionState {
  /** Connected; the first frame must be {@code hello} before the hello timeout. */
  AWAITING_HELLO,
  /** {@code hello} received; its token is being checked, then the presence entry written. */
  JOINING,
  /** Welcomed; requests are served, heartbeats checked and leases renewed. */
  ACTIVE,
  /** Closed on some path; cleanup has been started exactly once. */
  CLOSED;

  /**
   * @param next the wanted state
   * @return true if the transition is allowed
   */
  public boolean canMoveTo(SessionState next) {
    return switch (this) {
      case AWAITING_HELLO -> next == JOINING || next == CLOSED;
      case JOINING -> next == ACTIVE || next == CLOSED;
      case ACTIVE -> next == CLOSED;
      case CLOSED -> false;
    };
  }
}
