package dev.presence.session;

/**
 * Why a session ended. Carried by {@code leave} events and eviction requests; decides the fate of the
 * session's nickname: only a deliberate goodbye frees it at once, every other ending keeps it reserved
 * for the same user during the grace period (a browser reload or a dropped network must not lose it).
 */
public enum LeaveReason {
  /** The client said {@code bye}. */
  BYE("bye", true),
  /** The client sent a close frame without {@code bye}. */
  CLOSED("closed", false),
  /** The TCP connection ended without a close frame (FIN or RST): WebSocket status 1006. */
  RESET("reset", false),
  /** Nothing arrived from the client within the heartbeat timeout. */
  HEARTBEAT_TIMEOUT("heartbeat_timeout", false),
  /** Writing to the client failed. */
  SEND_FAILED("send_failed", false),
  /** A newer session of the same user took over. */
  TAKEOVER("takeover", false),
  /** Another node found the session's lease expired or its heartbeat overdue and evicted it. */
  EXPIRED("expired", false),
  /** Evicted on request (event-bus {@code presence.evict}). */
  EVICTED("evicted", false),
  /**
   * Kicked over the event bus ({@code presence.kick}) by an admin, a trusted service or the user itself: a
   * deliberate end decided for the user, so the nickname is freed at once.
   */
  KICKED("kicked", true),
  /** The session's access token expired and no {@code refresh} replaced it in time. */
  TOKEN_EXPIRED("token_expired", false),
  /** The owning node was removed from the cluster. */
  NODE_LOST("node_lost", false),
  /** The owning node is shutting down. */
  SHUTDOWN("shutdown", false),
  /** The client broke the protocol (e.g. no hello in time, oversized message). */
  PROTOCOL_ERROR("protocol_error", false),
  /** The server failed handling this session. */
  SERVER_ERROR("server_error", false);

  private final String wireName;
  private final boolean releasesNick;

  LeaveReason(String wireName, boolean releasesNick) {
    this.wireName = wireName;
    this.releasesNick = releasesNick;
  }

  /** @return the name used in JSON ({@code reason} fields) */
  public String wireName() {
    return wireName;
  }

  /**
   * @return whether a resumable session that ended this way is held as suspect for the grace period (the client
   *     lost its connection and may come back), rather than ended at once: reset, close frame without bye,
   *     heartbeat timeout, failed send, node shutdown
   */
  public boolean holdsResumableSession() {
    return this == RESET || this == CLOSED || this == HEARTBEAT_TIMEOUT || this == SEND_FAILED || this == SHUTDOWN;
  }

  /** @return true if the nickname is freed at once; false if it enters the grace period */
  public boolean releasesNickAtOnce() {
    return releasesNick;
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
