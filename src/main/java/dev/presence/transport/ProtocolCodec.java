package dev.presence.transport;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Parses client text messages into {@link ClientMessage}s. Pure and thread-safe; never throws on any
 * input: malformed input becomes a {@link Decoded.Invalid} carrying the error code the client is sent.
 */
final class ProtocolCodec {

  /** Longest accepted {@code user} (UTF-16 units). */
  static final int MAX_USER_LENGTH = 128;

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
      case "nick" -> json.getValue("nick") instanceof String nick
          ? new Decoded.Ok(new ClientMessage.Nick(nick)) : bad("field 'nick' (string) is required");
      case "release" -> new Decoded.Ok(new ClientMessage.Release());
      case "who" -> new Decoded.Ok(new ClientMessage.Who());
      case "bye" -> new Decoded.Ok(new ClientMessage.Bye());
      default -> new Decoded.Invalid("unknown_type", "unknown message type '" + abbreviate(type) + "'");
    };
  }

  private static Decoded hello(JsonObject json) {
    if (!(json.getValue("user") instanceof String user) || user.isBlank()
        || user.length() > MAX_USER_LENGTH || user.codePoints().anyMatch(ProtocolCodec::isInvisibleControl)) {
      return bad("field 'user' must be a non-empty string of at most " + MAX_USER_LENGTH
          + " characters without control, format (e.g. bidi override) or line separator characters");
    }
    Object nick = json.getValue("nick");
    if (nick != null && !(nick instanceof String)) {
      return bad("field 'nick' must be a string when present");
    }
    return new Decoded.Ok(new ClientMessage.Hello(user, (String) nick));
  }

  private static Decoded bad(String message) {
    return new Decoded.Invalid("bad_request", message);
  }

  /** Controls, format characters (bidi overrides, zero-width) and line/paragraph separators. */
  private static boolean isInvisibleControl(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
  }

  /** First 32 code points (never half a surrogate pair). */
  private static String abbreviate(String s) {
    if (s.codePointCount(0, s.length()) <= 32) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, 32)) + "...";
  }
}
