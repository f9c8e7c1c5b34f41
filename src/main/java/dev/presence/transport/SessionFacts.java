package dev.presence.transport;

import dev.presence.presence.SessionStatus;

/**
 * What one connection knows about its session, shared by {@link ClientConnection} and {@link SessionRequests}. A
 * plain holder: the connection's state machine decides when each field changes.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class SessionFacts {

  /** Session id; {@code null} before hello. */
  String session;
  /** Authenticated user; {@code null} before hello. */
  String user;
  /** Display nickname held, or {@code null}. */
  String nick;
  /** Normalized nickname held, or {@code null}. */
  String nickKey;
  /** The status as this session last set it (the cluster's copy follows through the request queue). */
  SessionStatus status = SessionStatus.ONLINE;
  /** Whether this session asked for resume and the node can sign resume tokens. */
  boolean resumable;
}
