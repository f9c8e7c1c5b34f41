package dev.presence.api;

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
      return Parsed.invalid("field 'by' (string) is required: all, user, node, session, nick or members");
    }
    return switch (by) {
      case "all" -> all(json);
      // NFC, the form of every stored user id (UserIds): a decomposed "José" finds the precomposed one.
      case "user" -> text(json, "user").map(user -> new ByUser(UserIds.lookupForm(user)));
      case "node" -> text(json, "node").map(ByNode::new);
      case "session" -> text(json, "session").map(BySession::new);
      case "nick" -> text(json, "nick").map(ByNick::new);
      case "members" -> new Parsed.Ok<>(new Members());
      default -> Parsed.invalid("unknown 'by': expected all, user, node, session, nick or members");
    };
  }

  private static Parsed<QueryRequest> all(JsonObject json) {
    Object limit = json.getValue("limit");
    Object after = json.getValue("after");
    if (limit != null && !isWholeNumberWithin(limit, 1, MAX_LIMIT)) {
      return Parsed.invalid("limit must be a whole number within 1.." + MAX_LIMIT);
    }
    if (after != null && !(after instanceof String)) {
      return Parsed.invalid("field 'after' must be a string (a session id) or null");
    }
    int size = limit == null ? DEFAULT_LIMIT : ((Number) limit).intValue();
    return new Parsed.Ok<>(new All(size, (String) after));
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
