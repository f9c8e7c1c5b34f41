package dev.presence.session;

/**
 * WebSocket close status codes the server sends. 1000-1011 are defined by RFC 6455 §7.4.1; 4000-4999 are
 * reserved for private use by applications (RFC 6455 §7.4.2), and ours are listed in docs/protocol.md.
 */
public enum CloseCode {
  /** RFC 6455 §7.4.1: normal closure (after {@code bye}). */
  NORMAL(1000),
  /** RFC 6455 §7.4.1: endpoint going away (node shutting down): reconnect to another node. */
  GOING_AWAY(1001),
  /** RFC 6455 §7.4.1: protocol error (e.g. a continuation frame without a message). */
  PROTOCOL_ERROR(1002),
  /** RFC 6455 §7.4.1: unacceptable data type (a binary message; this protocol is text JSON). */
  UNSUPPORTED_DATA(1003),
  /** RFC 6455 §7.4.1 and §8.1: a text message that is not valid UTF-8. */
  INVALID_DATA(1007),
  /** RFC 6455 §7.4.1: policy violation (no {@code hello} in time, a request before {@code hello}). */
  POLICY_VIOLATION(1008),
  /** RFC 6455 §7.4.1: message too big to process. */
  MESSAGE_TOO_BIG(1009),
  /** RFC 6455 §7.4.1: the server hit an unexpected condition handling this session. */
  INTERNAL_ERROR(1011),
  /** Nothing arrived from the client within the heartbeat timeout. */
  HEARTBEAT_TIMEOUT(4000),
  /** A newer session of the same user took over (its nickname). */
  REPLACED(4001),
  /** Evicted by the cluster (lease lost or expired, or on request). */
  EVICTED(4002),
  /** The session's access token expired without a {@code refresh}: reconnect with a fresh token. */
  TOKEN_EXPIRED(4003),
  /** Kicked by an admin, a trusted service or the user itself ({@code presence.kick}). */
  KICKED(4004);

  private final short code;

  CloseCode(int code) {
    this.code = (short) code;
  }

  /**
   * @param code a status code
   * @return the constant with that code
   * @throws IllegalArgumentException for a code the server does not send
   */
  public static CloseCode of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new IllegalArgumentException("no close code " + code);
  }

  /** @return the status code for the close frame */
  public short code() {
    return code;
  }
}
