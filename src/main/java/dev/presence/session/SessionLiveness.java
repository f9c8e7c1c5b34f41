package dev.presence.session;

/**
 * What one connection knows about its client being alive and active, and what to do about it at each periodic
 * check: ping, evict for silence ({@link HeartbeatPolicy}), or publish the session idle. Two clocks, two words:
 * <ul>
 *   <li>last heard: any inbound frame (text, ping, pong, close) proves the client alive (heartbeats);</li>
 *   <li>last activity: an application message (anything but {@code ping} and {@code refresh}) proves a person
 *       there; after {@code idleAfterMs} without one the session is shown idle.</li>
 * </ul>
 *
 * <p>Pure: time is a parameter (epoch ms; nanoTime for round trips). Threading: confined to the connection's event
 * loop.
 */
public final class SessionLiveness {

  private final HeartbeatPolicy heartbeat;
  private final long idleAfterMs;
  private long lastHeardAt;
  private long lastPingAt;
  private long pingSentNanos;
  private long lastActivityAt;

  /**
   * @param heartbeat   ping interval and silence timeout
   * @param idleAfterMs time without an application message after which the session is idle (ms)
   * @param now         epoch ms when the connection opened
   */
  public SessionLiveness(HeartbeatPolicy heartbeat, long idleAfterMs, long now) {
    this.heartbeat = heartbeat;
    this.idleAfterMs = idleAfterMs;
    this.lastHeardAt = now;
    this.lastPingAt = now;
    this.lastActivityAt = now;
  }

  /** @param now epoch ms of an inbound frame of any kind */
  public void heard(long now) {
    lastHeardAt = now;
  }

  /** @param now epoch ms of an application message (or of hello: the idle clock starts there) */
  public void active(long now) {
    lastActivityAt = now;
  }

  /** @return epoch ms of the last inbound frame: where a ghost window starts */
  public long lastHeardAt() {
    return lastHeardAt;
  }

  /**
   * @param now       epoch ms
   * @param timeoutMs the heartbeat timeout (ms)
   * @return whether a frame from the client arrived within the timeout (the client is alive and, by the client
   *     rule, still believes it is connected)
   */
  public boolean heardWithin(long now, long timeoutMs) {
    return now - lastHeardAt <= timeoutMs;
  }

  /**
   * @param now           epoch ms
   * @param nanoTime      now, {@code System.nanoTime()} (the ping's round trip is measured from it)
   * @param nodeResumedAt epoch ms when this node last woke from a pause of its own (or a time long past)
   * @return the heartbeat action due now; {@link HeartbeatPolicy.Action#PING} is recorded as sent
   */
  public HeartbeatPolicy.Action check(long now, long nanoTime, long nodeResumedAt) {
    // A node that stood still (paused, stalled) could neither ping its clients nor read them: that silence is the
    // node's, not the client's, so the timeout counts from the end of the pause at the earliest. Without this, a
    // node paused for longer than the timeout would close every healthy client the moment it woke.
    long heardOrForgiven = Math.max(lastHeardAt, nodeResumedAt);
    HeartbeatPolicy.Action action = heartbeat.decide(heardOrForgiven, lastPingAt, now);
    if (action == HeartbeatPolicy.Action.PING) {
      lastPingAt = now;
      pingSentNanos = nanoTime;
    }
    return action;
  }

  /**
   * @param now epoch ms
   * @return whether the session has had no application message for the idle time
   */
  public boolean idleAt(long now) {
    return now - lastActivityAt >= idleAfterMs;
  }

  /**
   * A pong arrived.
   *
   * @param nanoTime now, {@code System.nanoTime()}
   * @return the round trip of the ping it answers (ns), or -1 if no ping was outstanding (an unsolicited pong)
   */
  public long pong(long nanoTime) {
    if (pingSentNanos == 0) {
      return -1;
    }
    long rtt = nanoTime - pingSentNanos;
    pingSentNanos = 0;
    return rtt;
  }
}
