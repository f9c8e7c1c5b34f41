package dev.presence.presence;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The one wire form of a {@link PresenceEvent} on {@code presence.events} (docs/event-bus.md): written by the event-bus
 * channel, read by every subscriber hub, the Java client and the dashboard's bridge. Fields: {@code event, session,
 * user, nick, node, reason, at}; {@code lastHeartbeat} (the entry's last renewal, {@code lastRenewedAt}, epoch ms;
 * the wire keeps the name it was published under) on a leave or a hold when known; {@code status, meta, idle} when the event carries a status; {@code room} on a
 * room change ({@code room.occupied} and {@code room.vacated} carry no session); {@code roomNick} and {@code roomMeta}
 * (a JSON object) on {@code room.join} and {@code room.update}. Pure and thread-safe.
 */
public final class PresenceEventJson {

  /** The kinds that carry the member's room nickname and meta. */
  private static final java.util.Set<String> ROOM_DETAIL = java.util.Set.of(PresenceEvent.ROOM_JOIN,
      PresenceEvent.ROOM_UPDATE);

  private PresenceEventJson() {
  }

  /**
   * @param event a presence change
   * @return its wire form
   */
  public static JsonObject toJson(PresenceEvent event) {
    JsonObject json = new JsonObject()
        .put("event", event.event())
        .put("session", event.session())
        .put("user", event.user())
        .put("nick", event.nick())
        .put("node", event.node())
        .put("reason", event.reason())
        .put("at", event.at());
    if (event.lastRenewedAt() > 0) {
      json.put("lastHeartbeat", event.lastRenewedAt());
    }
    if (event.since() > 0) {
      json.put("since", event.since());
    }
    if (event.status() != null) {
      SessionStatusJson.put(json, event.status());
    }
    if (event.room() != null) {
      json.put("room", event.room());
    }
    if (ROOM_DETAIL.contains(event.event())) {
      JsonFields.into(json).string("roomNick", event.roomNick()).object("roomMeta", event.roomMeta());
    }
    return json;
  }

  /**
   * Reads what {@link #toJson} wrote, from any sender: a field of the wrong type reads as absent, never as a
   * failure.
   *
   * @param body a {@code presence.events} body
   * @return the event, or empty if the body is not an object with a string {@code event} and either a string
   *     {@code session} or (a room's occupancy change) a string {@code room}
   */
  public static Optional<PresenceEvent> fromJson(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue("event") instanceof String kind)) {
      return Optional.empty();
    }
    String session = text(json, "session");
    String room = text(json, "room");
    if (session == null && room == null) {
      return Optional.empty();
    }
    String roomMeta = json.getValue("roomMeta") instanceof JsonObject meta ? meta.encode() : null;
    return Optional.of(new PresenceEvent(kind, session, text(json, "user"), text(json, "nick"), text(json, "node"),
        text(json, "reason"), number(json, "at"), number(json, "lastHeartbeat"), SessionStatusJson.from(json), room,
        text(json, "roomNick"), roomMeta, number(json, "since")));
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String value ? value : null;
  }

  private static long number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number value ? value.longValue() : 0;
  }
}
