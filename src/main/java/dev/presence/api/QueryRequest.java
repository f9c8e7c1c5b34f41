package dev.presence.api;

import dev.presence.room.RoomNames;
import dev.presence.session.UserIds;
import io.vertx.core.json.JsonObject;

/**
 * One {@code presence.query} request (docs/event-bus.md), read from its JSON body by {@link #parse}. Pure.
 */
sealed interface QueryRequest {

  /** Default page size of {@code by: all}, as {@code GET /presence}. */
  int DEFAULT_LIMIT = 100;
  /** Largest page of {@code by: all}, as {@code GET /presence}: bounds one reply's size. */
  int MAX_LIMIT = 1_000;
  /** Longest accepted identifier (UTF-16 units): user ids are at most 128 (docs/protocol.md §3); room to spare. */
  int MAX_ID_LENGTH = 1_024;

  /** Sessions ordered by session id, after {@code after} (exclusive; {@code null}: from the start). */
  record All(int limit, String after) implements QueryRequest {
  }

  /** Sessions of one user. */
  record ByUser(String user) implements QueryRequest {
  }

  /** Sessions owned by one node. */
  record ByNode(String node) implements QueryRequest {
  }

  /** One session, if it exists. */
  record BySession(String session) implements QueryRequest {
  }

  /** The lease of one nickname (raw form, validated and normalized like a claim). */
  record ByNick(String nick) implements QueryRequest {
  }

  /** One page of a room's members, with its counts (docs/event-bus.md). */
  record ByRoom(String room, int limit, String after) implements QueryRequest {
  }

  /** One page of occupied rooms whose names start with {@code prefix} ({@code ""}: all). */
  record Rooms(String prefix, int limit, String after) implements QueryRequest {
  }

  /** Every data member and its session count. */
  record Members() implements QueryRequest {
  }

  /**
   * @param body the message body as received (anything)
   * @return the request, or why it is malformed
   */
  static Parsed<QueryRequest> parse(Object body) {
    if (!(body instanceof JsonObject json)) {
      return Parsed.invalid("the body must be a JSON object");
    }
    if (!(json.getValue("by") instanceof String by)) {
      return Parsed.invalid("field 'by' (string) is required: all, user, node, session, nick, room, rooms or members");
    }
    return switch (by) {
      case "all" -> all(json);
      // NFC, the form of every stored user id (UserIds): a decomposed "José" finds the precomposed one.
      case "user" -> text(json, "user").map(user -> new ByUser(UserIds.lookupForm(user)));
      case "node" -> text(json, "node").map(ByNode::new);
      case "session" -> text(json, "session").map(BySession::new);
      case "nick" -> text(json, "nick").map(ByNick::new);
      case "members" -> new Parsed.Ok<>(new Members());
      case "room" -> room(json);
      case "rooms" -> rooms(json);
      default -> Parsed.invalid("unknown 'by': expected all, user, node, session, nick, room, rooms or members");
    };
  }

  private static Parsed<QueryRequest> all(JsonObject json) {
    return page(json, "a session id", (size, after) -> new All(size, after));
  }

  /** {@code room} (a room name) with {@code limit} and {@code after} as {@code by: all}. */
  private static Parsed<QueryRequest> room(JsonObject json) {
    if (!(json.getValue("room") instanceof String room)) {
      return Parsed.invalid("field 'room' (string) is required");
    }
    String problem = RoomNames.problem(room);
    if (problem != null) {
      return Parsed.invalid("field 'room' " + problem);
    }
    return page(json, "a session id", (size, after) -> new ByRoom(room, size, after));
  }

  /** Optional {@code prefix} (a room name's beginning) with {@code limit} and {@code after} as {@code by: all}. */
  private static Parsed<QueryRequest> rooms(JsonObject json) {
    Object prefix = json.getValue("prefix");
    if (prefix != null && !(prefix instanceof String)) {
      return Parsed.invalid("field 'prefix' must be a string when present");
    }
    String text = prefix == null ? "" : (String) prefix;
    if (!text.isEmpty() && !RoomNames.isValid(text)) {
      return Parsed.invalid("field 'prefix' " + RoomNames.problem(text));
    }
    return page(json, "a room name", (size, after) -> new Rooms(text, size, after));
  }

  private static Parsed<QueryRequest> page(JsonObject json, String cursor,
      java.util.function.BiFunction<Integer, String, QueryRequest> build) {
    Object limit = json.getValue("limit");
    Object after = json.getValue("after");
    if (limit != null && !isWholeNumberWithin(limit, 1, MAX_LIMIT)) {
      return Parsed.invalid("limit must be a whole number within 1.." + MAX_LIMIT);
    }
    if (after != null && !(after instanceof String)) {
      return Parsed.invalid("field 'after' must be a string (" + cursor + ") or null");
    }
    int size = limit == null ? DEFAULT_LIMIT : ((Number) limit).intValue();
    return new Parsed.Ok<>(build.apply(size, (String) after));
  }

  private static boolean isWholeNumberWithin(Object value, long min, long max) {
    if (!(value instanceof Number n)) {
      return false;
    }
    double d = n.doubleValue();
    return d == Math.rint(d) && d >= min && d <= max;
  }

  /** A required, non-blank string field of bounded length. */
  private static Text text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      return new Text(null, "field '" + field + "' (non-blank string) is required");
    }
    if (s.length() > MAX_ID_LENGTH) {
      return new Text(null, "field '" + field + "' exceeds " + MAX_ID_LENGTH + " characters");
    }
    return new Text(s, null);
  }

  /** A string field read, or the reason it is refused. */
  record Text(String value, String error) {
    Parsed<QueryRequest> map(java.util.function.Function<String, QueryRequest> to) {
      return error == null ? new Parsed.Ok<>(to.apply(value)) : Parsed.invalid(error);
    }
  }
}
