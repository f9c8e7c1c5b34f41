package dev.presence.load.generator;

import io.vertx.core.json.JsonObject;

/**
 * The client frames of docs/protocol.md §3, built as JSON text. The same frames go to our node and to the
 * bare baseline.
 */
final class Frames {

  private Frames() {
  }

  /** {@code hello} (§3): {@code nick} may be null (no claim at hello), {@code token} too (no token checks). */
  static String hello(String user, String nick, String token) {
    JsonObject hello = new JsonObject().put("type", "hello").put("user", user);
    if (nick != null) {
      hello.put("nick", nick);
    }
    if (token != null) {
      hello.put("token", token);
    }
    return hello.encode();
  }

  /**
   * {@code ping} (§3): {@code seq} is echoed in the {@code pong}; we put the send time there (this JVM's
   * {@code System.nanoTime()}), so a pong alone gives the round trip and no per-ping state is kept.
   */
  static String ping(long sentNanos) {
    return "{\"type\":\"ping\",\"seq\":" + sentNanos + "}";
  }

  /** {@code nick} (§3): claim or change the nickname. */
  static String nick(String nick) {
    return new JsonObject().put("type", "nick").put("nick", nick).encode();
  }

  /** {@code release} (§3). */
  static String release() {
    return "{\"type\":\"release\"}";
  }

  /** {@code bye} (§3): the server frees the nickname and closes 1000. */
  static String bye() {
    return "{\"type\":\"bye\"}";
  }

  /** {@code join} (§12): join and watch a room ({@code watch} defaults to true on the server; sent explicitly). */
  static String join(String room) {
    return new JsonObject().put("type", "join").put("room", room).put("watch", true).encode();
  }

  /** {@code leave} (§12): answered by {@code left}; ends the room's watch. */
  static String leave(String room) {
    return new JsonObject().put("type", "leave").put("room", room).encode();
  }
}
