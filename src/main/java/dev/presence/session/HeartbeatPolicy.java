package dev.presence.session;

/**
 * Decides, for one active session at one periodic check, whether to send a ping, evict, or do nothing.
 * Pure; time is a parameter (epoch ms), so tests cross a timeout by passing {@code lastSeen + timeout + 1}.
 * Thread-safe (immutable).
 *
 * @param intervalMs how often a ping is sent (ms)
 * @param timeoutMs  silence after which the session is evicted (ms); larger than {@code intervalMs}
 */
public record HeartbeatPolicy(long intervalMs, long timeoutMs) {

  /** What to do with a session now. */
  public enum Action {
    /** Nothing is due. */
    NONE,
    /** Send a WebSocket ping. */
    PING,
    /** Nothing arrived for longer than the timeout: evict with 4000. */
    EVICT
  }

  /**
   * @param lastSeen epoch ms of the last inbound frame of any kind (text, ping, pong)
   * @param lastPing epoch ms of the last ping sent
   * @param now      epoch ms
   * @return the action
   */
  public Action decide(long lastSeen, long lastPing, long now) {
    if (now - lastSeen > timeoutMs) {
      return Action.EVICT;
    }
    return now - lastPing >= intervalMs ? Action.PING : Action.NONE;
  }
}
