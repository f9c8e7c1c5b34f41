package dev.presence.api;

import dev.presence.auth.Revocation;
import dev.presence.room.RoomNames;
import dev.presence.session.UserIds;
import io.vertx.core.json.JsonObject;

/**
 * One {@code presence.kick} request (docs/event-bus.md): exactly one target (a session, every session of a
 * user, the session holding a nickname, or a token by its {@code jti}), an optional reason shown to the kicked
 * client, and an optional revocation ({@code revokeForMs}: the user's tokens, or the one token, are refused for that
 * long; only a user or a jti can be revoked, and a jti only that way). With a {@code room} the kick is from that room
 * only (issue #13): the session, or every session of the user, leaves the room and stays connected; such a kick names
 * a session or a user and revokes nothing. Pure.
 *
 * @param target      what is named
 * @param value       the session id, user id, raw nickname or jti
 * @param reason      free text for the close reason (for a room kick, the {@code left} message's {@code detail}), or
 *                    {@code null}
 * @param revokeForMs how long to revoke the user or token (ms, 1 to {@code PRESENCE_MAX_REVOCATION_MS}), or 0
 * @param room        the room to kick from (a valid room name, {@code RoomNames}), or {@code null} for a kick that
 *                    closes the sessions
 */
record KickRequest(Target target, String value, String reason, long revokeForMs, String room) {

  /**
   * A kick that closes the sessions it names (no room).
   *
   * @param target      what is named
   * @param value       the session id, user id, raw nickname or jti
   * @param reason      free text for the close reason, or {@code null}
   * @param revokeForMs how long to revoke the user or token, or 0
   */
  KickRequest(Target target, String value, String reason, long revokeForMs) {
    this(target, value, reason, revokeForMs, null);
  }

  /** Longest accepted reason, in Unicode code points. */
  static final int MAX_REASON_CODE_POINTS = 100;

  /** What a kick names. */
  enum Target {
    SESSION("session"), USER("user"), NICK("nick"), JTI("jti");

    private final String field;

    Target(String field) {
      this.field = field;
    }

    /** @return the JSON field naming this target */
    String field() {
      return field;
    }
  }

  /**
   * @param body            the message body as received (anything)
   * @param maxRevocationMs the longest {@code revokeForMs} accepted ({@code PRESENCE_MAX_REVOCATION_MS})
   * @return the request, or why it is malformed
   */
  static Parsed<KickRequest> parse(Object body, long maxRevocationMs) {
    if (!(body instanceof JsonObject json)) {
      return Parsed.invalid("the body must be a JSON object");
    }
    Target named = null;
    for (Target t : Target.values()) {
      if (json.getValue(t.field()) != null) {
        if (named != null) {
          return Parsed.invalid("name exactly one of 'session', 'user', 'nick' or 'jti'");
        }
        named = t;
      }
    }
    if (named == null) {
      return Parsed.invalid("name exactly one of 'session', 'user', 'nick' or 'jti'");
    }
    if (!(json.getValue(named.field()) instanceof String value) || value.isBlank()
        || value.length() > QueryRequest.MAX_ID_LENGTH) {
      return Parsed.invalid("field '" + named.field() + "' must be a non-blank string of at most "
          + QueryRequest.MAX_ID_LENGTH + " characters");
    }
    Object reason = json.getValue("reason");
    if (reason != null) {
      String problem = reasonProblem(reason);
      if (problem != null) {
        return Parsed.invalid(problem);
      }
    }
    Object room = json.getValue("room");
    if (room != null) {
      String problem = roomProblem(room, named, json.getValue("revokeForMs") != null);
      if (problem != null) {
        return Parsed.invalid(problem);
      }
    }
    long revokeForMs = 0;
    Object revoke = json.getValue("revokeForMs");
    if (revoke != null) {
      if (!(revoke instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
          || number.longValue() < 1 || number.longValue() > maxRevocationMs) {
        return Parsed.invalid("field 'revokeForMs' must be a whole number of ms from 1 to " + maxRevocationMs
            + " (PRESENCE_MAX_REVOCATION_MS)");
      }
      if (named != Target.USER && named != Target.JTI) {
        return Parsed.invalid("field 'revokeForMs' needs 'user' or 'jti': sessions and nicknames are not revoked");
      }
      revokeForMs = number.longValue();
    } else if (named == Target.JTI) {
      return Parsed.invalid("field 'jti' needs 'revokeForMs': a token is kicked by revoking it");
    }
    // A user is named in NFC, the form of every stored user id (UserIds), so Identity.mayKick compares like forms.
    String target = named == Target.USER ? UserIds.lookupForm(value) : value;
    return new Parsed.Ok<>(new KickRequest(named, target, (String) reason, revokeForMs, (String) room));
  }

  /**
   * @return why a room kick is refused, or {@code null} if it is acceptable: a valid room name (the rule joins
   *     follow, docs/protocol.md §12), with a session or a user, and no revocation
   */
  private static String roomProblem(Object room, Target named, boolean revokes) {
    if (!(room instanceof String name)) {
      return "field 'room' must be a string";
    }
    String problem = RoomNames.problem(name);
    if (problem != null) {
      return "field 'room' " + problem;
    }
    if (named != Target.SESSION && named != Target.USER) {
      return "field 'room' needs 'session' or 'user': a room kick names one session or every session of a user";
    }
    if (revokes) {
      return "field 'revokeForMs' does not go with 'room': a room kick takes a membership away and revokes nothing";
    }
    return null;
  }

  /** @return whether this kick is from a room (the sessions stay connected) rather than a kick that closes them */
  boolean fromRoom() {
    return room != null;
  }

  /**
   * @param nowMs epoch ms now
   * @return the revocation this request asks for, or {@code null} if none
   */
  Revocation revocation(long nowMs) {
    if (revokeForMs == 0) {
      return null;
    }
    return new Revocation(target == Target.USER ? Revocation.Kind.USER : Revocation.Kind.JTI, value,
        nowMs + revokeForMs);
  }

  /** @return why a reason is refused, or {@code null} if it is acceptable */
  private static String reasonProblem(Object reason) {
    if (!(reason instanceof String text)) {
      return "field 'reason' must be a string";
    }
    if (text.codePointCount(0, text.length()) > MAX_REASON_CODE_POINTS) {
      return "field 'reason' exceeds " + MAX_REASON_CODE_POINTS + " characters";
    }
    // It ends up in a close frame shown to the client: no control characters (line breaks, escapes) there.
    if (text.codePoints().anyMatch(Character::isISOControl)) {
      return "field 'reason' must not contain control characters";
    }
    return null;
  }
}
