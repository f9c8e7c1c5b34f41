package dev.presence.transport;

import dev.presence.presence.Availability;
import dev.presence.presence.SessionStatus;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomNames;
import dev.presence.session.UserIds;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Parses client text messages into {@link ClientMessage}s. Pure and thread-safe; never throws on any
 * input: malformed input becomes a {@link Decoded.Invalid} carrying the error code the client is sent.
 */
final class ProtocolCodec {

  /** Result of decoding one message. */
  sealed interface Decoded {
    /** A valid request. */
    record Ok(ClientMessage message) implements Decoded {
    }

    /** An invalid one: {@code code} is {@code bad_request} or {@code unknown_type}. */
    record Invalid(String code, String message) implements Decoded {
    }
  }

  private ProtocolCodec() {
  }

  /**
   * @param text one complete text message
   * @return the request, or why it is invalid
   */
  static Decoded decode(String text) {
    if (text == null) {
      return bad("message is not a JSON object");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return bad("message is not a JSON object");
    }
    if (!(json.getValue("type") instanceof String type)) {
      return bad("field 'type' (string) is required");
    }
    return switch (type) {
      case "hello" -> hello(json);
      case "ping" -> new Decoded.Ok(new ClientMessage.Ping(json.getValue("seq")));
      case "nick" -> nick(json);
      case "release" -> new Decoded.Ok(new ClientMessage.Release());
      case "who" -> new Decoded.Ok(new ClientMessage.Who());
      case "bye" -> new Decoded.Ok(new ClientMessage.Bye());
      case "refresh" -> refresh(json);
      case "status" -> status(json);
      case "subscribe" -> subscribe(json);
      case "unsubscribe" -> unsubscribe(json);
      case "join" -> join(json);
      case "leave" -> roomName(json).<Decoded>map(room -> new Decoded.Ok(new ClientMessage.Leave(room)))
          .orElseGet(() -> roomProblem(json));
      default -> new Decoded.Invalid("unknown_type", "unknown message type '" + abbreviate(type) + "'");
    };
  }

  /**
   * {@code user} is optional here: with tokens the user comes from the token ({@code hello.user} may then be
   * absent, or must match); in development mode the connection requires it.
   */
  private static Decoded hello(JsonObject json) {
    Object rawUser = json.getValue("user");
    UserIds.Check user = rawUser == null ? null : userId(rawUser);
    if (user instanceof UserIds.Invalid invalid) {
      return bad("field 'user' " + invalid.reason());
    }
    Object nick = json.getValue("nick");
    if (nick != null && !(nick instanceof String)) {
      return bad("field 'nick' must be a string when present");
    }
    Object token = json.getValue("token");
    if (token != null && !(token instanceof String)) {
      return bad("field 'token' must be a string when present");
    }
    Object resumable = json.getValue("resumable");
    if (resumable != null && !(resumable instanceof Boolean)) {
      return bad("field 'resumable' must be a boolean when present");
    }
    Object resume = json.getValue("resume");
    if (resume != null && !(resume instanceof String)) {
      return bad("field 'resume' must be a string when present");
    }
    String userId = user == null ? null : ((UserIds.Valid) user).user();
    return new Decoded.Ok(new ClientMessage.Hello(userId, (String) nick, (String) token,
        Boolean.TRUE.equals(resumable) || resume != null, (String) resume));
  }

  private static Decoded status(JsonObject json) {
    Availability availability = json.getValue("status") instanceof String name ? Availability.fromWire(name) : null;
    if (availability == null) {
      return bad("field 'status' must be one of online, away, dnd");
    }
    Object meta = json.getValue("meta");
    if (meta != null && !(meta instanceof JsonObject)) {
      return bad("field 'meta' must be a JSON object when present");
    }
    String encoded = meta == null ? null : ((JsonObject) meta).encode();
    if (encoded != null && encoded.getBytes(StandardCharsets.UTF_8).length > SessionStatus.MAX_META_BYTES) {
      return bad("field 'meta' is larger than " + SessionStatus.MAX_META_BYTES + " bytes");
    }
    return new Decoded.Ok(new ClientMessage.Status(availability, encoded));
  }

  private static Decoded refresh(JsonObject json) {
    return json.getValue("token") instanceof String token
        ? new Decoded.Ok(new ClientMessage.Refresh(token)) : bad("field 'token' (string) is required");
  }

  /** Most users one {@code subscribe} may name (the snapshot reads each user's sessions). */
  static final int MAX_SUBSCRIBED_USERS = 1_000;

  private static final String SUBSCRIBE_RULE = "subscribe needs either 'users' (an array of 1 to "
      + MAX_SUBSCRIBED_USERS + " user ids) or 'all': true";

  /** Most rooms one {@code subscribe} may name (the setting {@code PRESENCE_MAX_ROOMS_PER_SESSION} is at most this). */
  static final int MAX_WATCHED_ROOMS = dev.presence.config.RoomSettings.MAX_ROOMS_PER_SESSION_LIMIT;

  /**
   * Exactly one of {@code users} (1..1000 valid user ids; duplicates collapse), {@code "all": true} and
   * {@code rooms} (1..1000 room names: watch those rooms, docs/protocol.md §12.1).
   */
  private static Decoded subscribe(JsonObject json) {
    Object all = json.getValue("all");
    Object users = json.getValue("users");
    Object rooms = json.getValue("rooms");
    if (rooms != null) {
      return all != null ? bad("subscribe takes 'rooms' or 'all', not both") : watchRooms(rooms, json);
    }
    if (json.containsKey("counts")) {
      return bad("field 'counts' goes with 'rooms'");
    }
    if (all != null && users != null) {
      return bad(SUBSCRIBE_RULE + ", not both");
    }
    if (Boolean.TRUE.equals(all)) {
      return new Decoded.Ok(new ClientMessage.Subscribe(null));
    }
    return userSet(users).<Decoded>map(wanted -> new Decoded.Ok(new ClientMessage.Subscribe(wanted)))
        .orElseGet(() -> usersProblem(users));
  }

  /** {@code users}: 1 to 1000 valid user ids, in NFC, duplicates collapsed; empty if anything is wrong. */
  private static java.util.Optional<Set<String>> userSet(Object users) {
    if (!(users instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_SUBSCRIBED_USERS) {
      return java.util.Optional.empty();
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (Object user : list) {
      if (!(userId(user) instanceof UserIds.Valid valid)) {
        return java.util.Optional.empty();
      }
      // NFC, the form hello keeps: a decomposed "José" finds the user who said hello with a precomposed one.
      wanted.add(valid.user());
    }
    return java.util.Optional.of(Collections.unmodifiableSet(wanted));
  }

  /** Why {@code users} is not a user set. */
  private static Decoded usersProblem(Object users) {
    if (!(users instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_SUBSCRIBED_USERS) {
      return bad(SUBSCRIBE_RULE);
    }
    for (Object user : list) {
      if (userId(user) instanceof UserIds.Invalid invalid) {
        return bad("every entry of 'users' " + invalid.reason());
      }
    }
    throw new IllegalStateException("usersProblem called with a valid user set");
  }

  /** {@code rooms}, with optional {@code counts} (true: counts only) or {@code users} (followed in large rooms). */
  private static Decoded watchRooms(Object rooms, JsonObject json) {
    Object counts = json.getValue("counts");
    if (counts != null && !(counts instanceof Boolean)) {
      return bad("field 'counts' must be a boolean when present");
    }
    Object users = json.getValue("users");
    if (Boolean.TRUE.equals(counts) && users != null) {
      return bad("a counts-only watch follows no users: send 'counts' or 'users', not both");
    }
    java.util.Optional<Set<String>> followed = users == null ? java.util.Optional.empty() : userSet(users);
    if (users != null && followed.isEmpty()) {
      return usersProblem(users);
    }
    if (!(rooms instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_WATCHED_ROOMS) {
      return bad("field 'rooms' must be an array of 1 to " + MAX_WATCHED_ROOMS + " room names");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (Object room : list) {
      if (!(room instanceof String name) || !RoomNames.isValid(name)) {
        return bad("every entry of 'rooms' must be a room name: "
            + (room instanceof String name ? RoomNames.problem(name) : "a string"));
      }
      wanted.add(name);
    }
    return new Decoded.Ok(new ClientMessage.WatchRooms(Collections.unmodifiableSet(wanted), Boolean.TRUE.equals(counts),
        followed.orElse(null)));
  }

  /** {@code nick}: a string {@code nick}; with a {@code room} (a room name) it is that room's nickname (§12.2). */
  private static Decoded nick(JsonObject json) {
    if (!(json.getValue("nick") instanceof String nick)) {
      return bad("field 'nick' (string) is required");
    }
    if (!json.containsKey("room")) {
      return new Decoded.Ok(new ClientMessage.Nick(nick));
    }
    return roomName(json).<Decoded>map(room -> new Decoded.Ok(new ClientMessage.RoomNick(nick, room)))
        .orElseGet(() -> roomProblem(json));
  }

  /** {@code unsubscribe}: without {@code room} the global subscription ends; with one, that room's watch. */
  private static Decoded unsubscribe(JsonObject json) {
    if (!json.containsKey("room")) {
      return new Decoded.Ok(new ClientMessage.Unsubscribe());
    }
    return roomName(json).<Decoded>map(room -> new Decoded.Ok(new ClientMessage.Unwatch(room)))
        .orElseGet(() -> roomProblem(json));
  }

  /**
   * {@code join}: {@code room} (a room name), optional {@code meta} (a JSON object of at most 1 KiB) and {@code watch}
   * (a boolean, default true), {@code nick} (a string: a room nickname to claim, checked when handled) and
   * {@code token} (a room token, §12.3, verified when handled).
   */
  private static Decoded join(JsonObject json) {
    java.util.Optional<String> room = roomName(json);
    if (room.isEmpty()) {
      return roomProblem(json);
    }
    Object nick = json.getValue("nick");
    if (nick != null && !(nick instanceof String)) {
      return bad("field 'nick' must be a string when present");
    }
    Object meta = json.getValue("meta");
    if (meta != null && !(meta instanceof JsonObject)) {
      return bad("field 'meta' must be a JSON object when present");
    }
    String encoded = meta == null ? null : ((JsonObject) meta).encode();
    if (encoded != null && encoded.getBytes(StandardCharsets.UTF_8).length > RoomMembership.MAX_META_BYTES) {
      return bad("field 'meta' is larger than " + RoomMembership.MAX_META_BYTES + " bytes");
    }
    Object watch = json.getValue("watch");
    if (watch != null && !(watch instanceof Boolean)) {
      return bad("field 'watch' must be a boolean when present");
    }
    Object token = json.getValue("token");
    if (token != null && (!(token instanceof String text) || text.isEmpty()
        || text.length() > dev.presence.auth.AccessTokenVerifier.MAX_TOKEN_CHARS)) {
      return bad("field 'token' must be a room token (a non-empty string of at most "
          + dev.presence.auth.AccessTokenVerifier.MAX_TOKEN_CHARS + " characters) when present");
    }
    return new Decoded.Ok(new ClientMessage.Join(room.get(), encoded, !Boolean.FALSE.equals(watch), (String) nick,
        (String) token));
  }

  /** @return the {@code room} field if it is a valid room name */
  private static java.util.Optional<String> roomName(JsonObject json) {
    return json.getValue("room") instanceof String room && RoomNames.isValid(room)
        ? java.util.Optional.of(room) : java.util.Optional.empty();
  }

  /** Why the {@code room} field is not a room name. */
  private static Decoded roomProblem(JsonObject json) {
    if (!(json.getValue("room") instanceof String room)) {
      return bad("field 'room' (string) is required");
    }
    return bad("field 'room' " + RoomNames.problem(room));
  }

  /** A user id field: a string that passes {@link UserIds#check}, which also gives its NFC form. */
  private static UserIds.Check userId(Object value) {
    return value instanceof String text ? UserIds.check(text) : new UserIds.Invalid("must be a string (a user id)");
  }

  private static Decoded bad(String message) {
    return new Decoded.Invalid("bad_request", message);
  }

  /** First 32 code points (never half a surrogate pair). */
  private static String abbreviate(String s) {
    if (s.codePointCount(0, s.length()) <= 32) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, 32)) + "...";
  }
}
