package dev.presence.faults;

import java.util.Arrays;

/**
 * What one client saw or did, as recorded in the {@link History}. Server messages and close codes are
 * what the client was told; the {@code *_SENT} and {@code CLIENT_*} kinds are the client's own actions
 * (or the harness's faults on it), which end its claim to a nickname and excuse its closes.
 */
public enum EventType {
  /** {@code welcome}; {@code nick} is the nickname granted in hello, if any. */
  WELCOME("welcome"),
  /** {@code nick.ok}: the session holds {@code nick} from now on (in {@code room} if the event has one). */
  NICK_OK("nick.ok"),
  /** {@code nick.released}: answer to {@code release}. */
  NICK_RELEASED("nick.released"),
  /** {@code nick.lost}: the server says the session no longer holds {@code nick}. */
  NICK_LOST("nick.lost"),
  /**
   * {@code nick.restored}: the server gave back {@code nick}, lost to self-fencing while its node had no quorum
   * (nobody else got it meanwhile); the session holds it again from now on.
   */
  NICK_RESTORED("nick.restored"),
  /**
   * {@code joined}: the session is in {@code room}; with {@code nick}, it holds that room nickname from now on (a
   * repeated {@code join} answers with the nickname it holds).
   */
  JOINED("joined"),
  /** {@code left}: the session is no longer in {@code room} (its {@code leave} answered, or a kick); no room nickname. */
  LEFT("left"),
  /** {@code error} with its {@code errorCode}. */
  ERROR("error"),
  /** {@code error} with its {@code errorCode} while the client had no request waiting: nothing it asked for. */
  ERROR_UNSOLICITED("error.unsolicited"),
  /** The WebSocket closed; {@code code} is the close status the client saw (1006 without a close frame). */
  CLOSED("closed"),
  /** The client sent {@code release}. */
  RELEASE_SENT("release.sent"),
  /** The client sent {@code bye}. */
  BYE_SENT("bye.sent"),
  /** The client sent a close frame. */
  CLOSE_SENT("close.sent"),
  /** The client reset its TCP connection (SO_LINGER 0). */
  RESET_SENT("reset.sent"),
  /** The harness killed the client's process (kill -9). */
  CLIENT_KILLED("client.killed"),
  /** The harness froze the client's process (SIGSTOP). */
  CLIENT_STOPPED("client.stopped");

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  /** @return the name used in client process output and in the report */
  public String wire() {
    return wire;
  }

  /** @return the type with that wire name */
  public static EventType ofWire(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown event type " + wire));
  }

  /** @return true for what the client did itself (so a close that follows was not an eviction) */
  public boolean isClientAction() {
    return this == RELEASE_SENT || this == BYE_SENT || this == CLOSE_SENT || this == RESET_SENT
        || this == CLIENT_KILLED || this == CLIENT_STOPPED;
  }
}
