package dev.presence.presence;

import dev.presence.session.LeaveReason;

/**
 * The port through which session, sweep and renewal code reports what happened; the Micrometer adapter
 * turns it into Prometheus metrics. Implementations are thread-safe and never block (called from event
 * loops).
 */
public interface PresenceMetrics {

  /** A WebSocket connection was accepted. */
  void connectionOpened();

  /**
   * A session ended and this node performed its end (counted once per session, by the end path that removed it).
   *
   * @param reason               why
   * @param sinceLastHeartbeatMs time from the session's last sign of life to its end (ms): the ghost time;
   *                             negative when none applies (the end of a resume hold, shown as held meanwhile)
   */
  void sessionEnded(LeaveReason reason, long sinceLastHeartbeatMs);

  /**
   * A nickname request was answered.
   *
   * @param outcome {@code granted}, {@code taken}, {@code invalid} or {@code unavailable}
   */
  void nickClaim(String outcome);

  /**
   * A pong answered a server ping.
   *
   * @param nanos round-trip time (ns)
   */
  void heartbeatRtt(long nanos);

  /**
   * A batched lease renewal (presence and nickname maps) completed.
   *
   * @param nanos its duration (ns)
   */
  void leaseRenewal(long nanos);

  /**
   * A request, connection or session was refused by a limit or by authentication.
   *
   * @param code the error code the caller got: {@code unauthorized}, {@code forbidden_origin}, {@code
   *             connection_limit}, {@code session_limit}, {@code rate_limited}, {@code rate_abuse}, {@code
   *             too_large}, {@code hello_timeout}, {@code revoked} (a revoked user or token)
   */
  void refused(String code);

  /**
   * A revocation was written by this node ({@code presence.kick} with {@code revokeForMs}).
   *
   * @param kind {@code user} or {@code jti}
   */
  default void revocationWritten(String kind) {
  }

  /** A session joined a room it was not in (counted once per membership, by the node that wrote it). */
  default void roomJoined() {
  }

  /**
   * A session left a room (counted once per membership, by the node that removed it).
   *
   * @param reason {@code left} for a {@code leave}, {@code kicked} for a kick from the room, else the wire name of the
   *               session's leave reason
   */
  default void roomLeft(String reason) {
  }

  /** Reports nothing: for code and tests that do not measure. */
  PresenceMetrics NONE = new PresenceMetrics() {
    @Override
    public void connectionOpened() {
    }

    @Override
    public void sessionEnded(LeaveReason reason, long sinceLastHeartbeatMs) {
    }

    @Override
    public void nickClaim(String outcome) {
    }

    @Override
    public void heartbeatRtt(long nanos) {
    }

    @Override
    public void leaseRenewal(long nanos) {
    }

    @Override
    public void refused(String code) {
    }
  };
}
