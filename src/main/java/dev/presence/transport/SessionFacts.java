package dev.presence.transport;

import dev.presence.presence.PresenceEntry;
import dev.presence.presence.SessionStatus;
import dev.presence.room.RoomGrants;

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
  /**
   * The {@code jti} of the token the session runs on now (the hello's, then the last accepted {@code refresh}'s), or
   * {@code null} (no {@code jti}, or development mode): a kick by {@code jti} closes the sessions whose current token
   * it names, and only this connection knows it (docs/security.md, "Revocation").
   */
  String tokenId;
  /** Display nickname held, or {@code null}. */
  String nick;
  /** Normalized nickname held, or {@code null}. */
  String nickKey;
  /** The status as this session last set it (the cluster's copy follows through the request queue). */
  SessionStatus status = SessionStatus.ONLINE;
  /**
   * The nicknames (global and per room) the session was told it lost only because its node lost the quorum
   * (self-fencing), to be taken back once the quorum returns if nobody else got them meanwhile.
   */
  final FencedNicks fenced = new FencedNicks();
  /** Whether a {@code nick} request is changing the nickname now (the old lease may be released already). */
  boolean nickChangeInFlight;
  /**
   * Counts each start and each end of a nickname write by this connection (a change, a re-assertion's reclaim, a
   * take-back after fencing). A batched renewal notes it when it reads the leases; if it moved on by the time the
   * answer arrives, a write was in flight meanwhile, the read may predate it (the calls are not ordered), and the
   * answer judges nothing ({@link SessionLeaseChecks}). Only a write that ended before the read was seen by it.
   */
  long nickWrites;
  /** Epoch ms the session joined (or resumed) on this connection; 0 before. */
  long connectedAt;
  /** Whether this session asked for resume and the node can sign resume tokens. */
  boolean resumable;
  /**
   * Whether this session may {@code subscribe} to {@code all}: its token's roles allow it (the latest token's, after a
   * {@code refresh}), or the node runs in development mode.
   */
  boolean mayWatchAll;
  /**
   * The session's resume generation as its join or its last resume set it (the presence entry's): its resume
   * tokens name it, and a restore writes it back.
   */
  long resumeGeneration;
  /** The rooms its token lets it join or watch (every room in development mode); refreshed with the token. */
  RoomGrants roomGrants = RoomGrants.NONE;
  /**
   * The rooms the session is in, as its joins and leaves left them (the presence entry's copy follows through the
   * request queue): answers a repeated {@code join} and the room limit without a cluster call, and a restore writes
   * them back. And the rooms it watches, as its requests left them: the node's {@link RoomWatchHost} keeps the watches
   * on its own context, so the connection answers "watched already" and the watch limit from this copy. A watch whose
   * first read failed is gone from both (the failed request takes it out here).
   */
  final ConnectionRooms rooms = new ConnectionRooms();

  /**
   * @param node this node's id
   * @return the session as room events and room writes name it (session, user, nick, node, since); one home for the
   *     room requests and the lease checks
   */
  PresenceEntry asEntry(String node) {
    return new PresenceEntry(session, user, nick, nickKey, node, connectedAt, 0, 0);
  }
}
