package dev.presence.session;

/**
 * Why a session ended. Carried by {@code leave} events and eviction requests. The fate of the session's
 * nickname is decided from it in one place, {@code NickLeasePolicy.fateOnEnd}. Pure (no I/O).
 */
public enum LeaveReason {
  /** The client said {@code bye}. */
  BYE("bye"),
  /** The client sent a close frame without {@code bye}. */
  CLOSED("closed"),
  /** The TCP connection ended without a close frame (FIN or RST): WebSocket status 1006. */
  RESET("reset"),
  /** Nothing arrived from the client within the heartbeat timeout. */
  HEARTBEAT_TIMEOUT("heartbeat_timeout"),
  /** Writing to the client failed. */
  SEND_FAILED("send_failed"),
  /** A newer session of the same user took over. */
  TAKEOVER("takeover"),
  /** Another node found the session's lease expired or its heartbeat overdue and evicted it. */
  EXPIRED("expired"),
  /** Evicted on request (event-bus {@code presence.evict}). */
  EVICTED("evicted"),
  /**
   * Kicked over the event bus ({@code presence.kick}) by an admin, a trusted service or the user itself: a
   * deliberate end decided for the user.
   */
  KICKED("kicked"),
  /** The session's access token expired and no {@code refresh} replaced it in time. */
  TOKEN_EXPIRED("token_expired"),
  /** The owning node was removed from the cluster. */
  NODE_LOST("node_lost"),
  /** The owning node is shutting down. */
  SHUTDOWN("shutdown"),
  /** The client broke the protocol (e.g. no hello in time, oversized message). */
  PROTOCOL_ERROR("protocol_error"),
  /** The server failed handling this session. */
  SERVER_ERROR("server_error");

  private final String wireName;

  LeaveReason(String wireName) {
    this.wireName = wireName;
  }

  /** @return the name used in JSON ({@code reason} fields) */
  public String wireName() {
    return wireName;
  }

  /**
   * @return whether a resumable session that ended this way is held for resume for the grace period (the client
   *     lost its connection and may come back), rather than ended at once: reset, close frame without bye,
   *     heartbeat timeout, failed send, node shutdown
   */
  public boolean holdsResumableSession() {
    return this == RESET || this == CLOSED || this == HEARTBEAT_TIMEOUT || this == SEND_FAILED || this == SHUTDOWN;
  }

  /**
   * @param name a wire name
   * @return the reason, or {@link #EVICTED} for an unknown name (an older or newer node may send one)
   */
  public static LeaveReason fromWire(String name) {
    for (LeaveReason r : values()) {
      if (r.wireName.equals(name)) {
        return r;
      }
    }
    return EVICTED;
  }
}
