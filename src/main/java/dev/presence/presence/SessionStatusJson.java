package dev.presence.presence;

import io.vertx.core.json.JsonObject;

/**
 * The JSON form of a {@link SessionStatus}, shared by events, entries in answers and the HTTP API: {@code status}
 * (online, away, dnd), {@code meta} (a JSON object or null) and {@code idle}. Pure and thread-safe.
 */
public final class SessionStatusJson {

  private SessionStatusJson() {
  }

  /**
   * Reads what {@link #put} wrote.
   *
   * @param json an object that may carry {@code status}, {@code meta} and {@code idle}
   * @return the status, or {@code null} if {@code status} is absent or not a known availability
   */
  public static SessionStatus from(JsonObject json) {
    Availability availability = json.getValue("status") instanceof String name ? Availability.fromWire(name) : null;
    if (availability == null) {
      return null;
    }
    String meta = json.getValue("meta") instanceof JsonObject object ? object.encode() : null;
    try {
      return new SessionStatus(availability, meta, Boolean.TRUE.equals(json.getValue("idle")));
    } catch (IllegalArgumentException tooLarge) {
      return new SessionStatus(availability, null, Boolean.TRUE.equals(json.getValue("idle")));
    }
  }

  /**
   * Adds {@code status}, {@code meta} and {@code idle} to {@code json}.
   *
   * @param json   the object to add to
   * @param status the status
   * @return {@code json}
   */
  public static JsonObject put(JsonObject json, SessionStatus status) {
    write(status, JsonFields.into(json));
    return json;
  }

  /**
   * Writes {@code status}, {@code meta} (stored only after validation; unreadable meta is shown as none rather than
   * failing a reader) and {@code idle}: the one home of a status's JSON shape, for trees and streams alike.
   *
   * @param status the status
   * @param out    where the fields go
   * @return {@code out}
   */
  public static JsonFields write(SessionStatus status, JsonFields out) {
    return out.string("status", status.availability().wireName()).object("meta", status.meta())
        .bool("idle", status.idle());
  }
}
