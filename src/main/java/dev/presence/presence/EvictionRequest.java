package dev.presence.presence;

import dev.presence.session.LeaveReason;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A request, broadcast on {@code presence.evict}, that whichever node owns {@code session} close it, or, for a token
 * revoked by its {@code jti}, that every node close the sessions whose current token has that {@code jti} (the
 * cluster does not record which token a session runs on; each connection does), or, for a kick from a room, that the
 * node owning {@code session} tell it it left {@code room} (the membership is already gone from the cluster; the
 * session stays connected). The one wire form for every sender (the stale sweep, a takeover, {@code presence.kick})
 * and the one reader (the WebSocket verticles). Immutable.
 *
 * @param session the session to close (or, with {@code room}, to tell), or {@code null} for a request by token
 * @param tokenId the {@code jti} whose sessions to close, or {@code null} for a request by session; exactly one of
 *                the two is set
 * @param room    the room the session was kicked from (then {@code session} is set and nothing is closed), or
 *                {@code null}
 * @param reason  why (an unknown wire name reads as {@link LeaveReason#EVICTED})
 * @param detail  free text for the client's close reason or {@code left} message (a kick's {@code reason}), or
 *                {@code null}
 */
public record EvictionRequest(String session, String tokenId, String room, LeaveReason reason, String detail) {

  /** Checks that the request names a session or a token, not both, and a room only with a session. */
  public EvictionRequest {
    if ((session == null) == (tokenId == null)) {
      throw new IllegalArgumentException("an eviction names a session or a token (jti), exactly one");
    }
    if (room != null && session == null) {
      throw new IllegalArgumentException("a kick from a room names a session");
    }
  }

  /**
   * A request to close sessions, by session or by token (no room).
   *
   * @param session the session to close, or {@code null}
   * @param tokenId the {@code jti} whose sessions to close, or {@code null}; exactly one of the two is set
   * @param reason  why
   * @param detail  free text for the close reason, or {@code null}
   */
  public EvictionRequest(String session, String tokenId, LeaveReason reason, String detail) {
    this(session, tokenId, null, reason, detail);
  }

  /**
   * A request to close one session.
   *
   * @param session the session to close
   * @param reason  why
   * @param detail  free text for the close reason, or {@code null}
   */
  public EvictionRequest(String session, LeaveReason reason, String detail) {
    this(session, null, null, reason, detail);
  }

  /**
   * A request to close every session whose current token has {@code tokenId} (a {@code jti} revocation's kick).
   *
   * @param tokenId the token's {@code jti}
   * @param reason  why
   * @param detail  free text for the close reason, or {@code null}
   * @return the request
   */
  public static EvictionRequest byToken(String tokenId, LeaveReason reason, String detail) {
    return new EvictionRequest(null, tokenId, null, reason, detail);
  }

  /**
   * A request that the node owning {@code session} tell it it was kicked from {@code room} (issue #13, {@code
   * presence.kick} with a room): the sender has already taken the membership out of the cluster.
   *
   * @param session the session kicked from the room
   * @param room    the room
   * @param detail  the kick's {@code reason} text for the client, or {@code null}
   * @return the request, with reason {@code kicked}
   */
  public static EvictionRequest fromRoom(String session, String room, String detail) {
    return new EvictionRequest(session, null, room, LeaveReason.KICKED, detail);
  }

  /**
   * @return the wire form: {@code session} or {@code jti}, or for a room kick {@code room} and {@code roomSession};
   *     {@code reason} (its wire name), {@code detail} if any. A node from before requests by token reads one as no
   *     request (it has no {@code session}) and closes nothing; so does a node from before room kicks read a room
   *     kick, which is why its session is not under {@code session}: such a node would close the session.
   */
  public JsonObject toJson() {
    JsonObject json;
    if (room != null) {
      json = new JsonObject().put("room", room).put("roomSession", session);
    } else {
      json = session != null ? new JsonObject().put("session", session) : new JsonObject().put("jti", tokenId);
    }
    json.put("reason", reason.wireName());
    return detail == null ? json : json.put("detail", detail);
  }

  /**
   * @param body a {@code presence.evict} body from any sender
   * @return the request, or empty unless the body is an object with a string {@code session}, or (without one) a
   *     string {@code roomSession} and a string {@code room}, or (without either) a string {@code jti}
   */
  public static Optional<EvictionRequest> fromJson(Object body) {
    if (!(body instanceof JsonObject json)) {
      return Optional.empty();
    }
    String reason = json.getValue("reason") instanceof String name ? name : null;
    String detail = json.getValue("detail") instanceof String text ? text : null;
    String session = json.getValue("session") instanceof String s ? s : null;
    if (session == null && json.getValue("roomSession") instanceof String member
        && json.getValue("room") instanceof String room) {
      return Optional.of(new EvictionRequest(member, null, room, LeaveReason.fromWire(reason), detail));
    }
    String tokenId = session == null && json.getValue("jti") instanceof String j ? j : null;
    if (session == null && tokenId == null) {
      return Optional.empty();
    }
    return Optional.of(new EvictionRequest(session, tokenId, LeaveReason.fromWire(reason), detail));
  }
}
