package dev.presence.load.bare;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One bare connection: the frames of docs/protocol.md that the generator sends, answered in the same shape
 * the node answers them, and the server ping. Confined to its verticle's event loop.
 */
final class BareConnection {

  private static final String NODE = UUID.randomUUID().toString();

  private final ServerWebSocket ws;
  private final BareStats stats;
  private final long heartbeatMs;
  private final long timeoutMs;
  /** Position in the verticle's list, -1 once removed. */
  int slot = -1;
  private boolean welcomed;
  private long lastPingMs = System.currentTimeMillis();
  private long pingSentNanos;

  BareConnection(ServerWebSocket ws, BareStats stats, long heartbeatMs, long timeoutMs) {
    this.ws = ws;
    this.stats = stats;
    this.heartbeatMs = heartbeatMs;
    this.timeoutMs = timeoutMs;
  }

  /** Installs the handlers; {@code onClose} runs once when the connection ends. */
  void start(Runnable onClose) {
    ws.textMessageHandler(this::onText);
    ws.pongHandler(this::onPong);
    ws.exceptionHandler(e -> {
      // the close handler follows
    });
    ws.closeHandler(v -> {
      if (welcomed) {
        stats.sessionClosed();
      }
      onClose.run();
    });
  }

  private void onText(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (RuntimeException e) {
      return;
    }
    switch (message.getString("type", "")) {
      case "hello" -> hello(message);
      case "ping" -> ws.writeTextMessage(new JsonObject().put("type", "pong").put("seq", message.getValue("seq"))
          .encode());
      case "bye" -> ws.close((short) 1000, "bye");
      default -> {
        // nick, release, who: not part of the baseline (claims and churn nicknames are the node's alone)
      }
    }
  }

  private void hello(JsonObject hello) {
    if (welcomed) {
      return;
    }
    welcomed = true;
    stats.sessionOpened();
    ws.writeTextMessage(new JsonObject().put("type", "welcome").put("session", UUID.randomUUID().toString())
        .put("node", NODE).put("user", hello.getString("user")).put("nick", hello.getString("nick"))
        .put("heartbeatMs", heartbeatMs).put("timeoutMs", timeoutMs).encode());
  }

  private void onPong(Buffer payload) {
    if (pingSentNanos != 0) {
      stats.heartbeatRtt(System.nanoTime() - pingSentNanos);
      pingSentNanos = 0;
    }
  }

  /** From the verticle's 1 s tick: sends a WebSocket ping when one is due (@param now epoch ms). */
  void checkHeartbeat(long now) {
    if (now - lastPingMs >= heartbeatMs) {
      lastPingMs = now;
      pingSentNanos = System.nanoTime();
      ws.writePing(Buffer.buffer());
    }
  }
}
