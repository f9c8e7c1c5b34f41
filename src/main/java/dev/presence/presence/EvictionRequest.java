package dev.presence.presence;

import dev.presence.session.LeaveReason;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A request, broadcast on {@code presence.evict}, that whichever node owns {@code session} close it: the one wire
 * form for every sender (the stale sweep, a takeover, {@code presence.kick}) and the one reader (the WebSocket
 * verticles). Immutable.
 *
 * @param session the session to close
 * @param reason  why (an unknown wire name reads as {@link LeaveReason#EVICTED})
 * @param detail  free text for the client's close reason (a kick's {@code reason}), or {@code null}
 */
public record EvictionRequest(String session, LeaveReason reason, String detail) {

  /** @return the wire form: {@code session}, {@code reason} (its wire name), {@code detail} if any */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("session", session).put("reason", reason.wireName());
    return detail == null ? json : json.put("detail", detail);
  }

  /**
   * @param body a {@code presence.evict} body from any sender
   * @return the request, or empty unless the body is an object with a string {@code session}
   */
  public static Optional<EvictionRequest> fromJson(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue("session") instanceof String session)) {
      return Optional.empty();
    }
    String reason = json.getValue("reason") instanceof String name ? name : null;
    String detail = json.getValue("detail") instanceof String text ? text : null;
    return Optional.of(new EvictionRequest(session, LeaveReason.fromWire(reason), detail));
  }
}
