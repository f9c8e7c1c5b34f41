package dev.presence.load.bare;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One bare connection: the frames of docs/protocol.md that the generator sends, answered in the same shape
 * the node answers them (rooms through the process's {@link BareRooms}), and the server ping. Confined to its
 * verticle's event loop, except {@link #send}.
 */
final class BareConnection implements BareRooms.Client {

  /** This process's node id, as a node's welcome carries its own. */
  static final String NODE = UUID.randomUUID().toString();

  private final ServerWebSocket ws;
  private final BareStats stats;
  private final BareRooms rooms;
  /** The rooms it is in (and watches), for its close; confined to its event loop like the rest. */
  private final java.util.Set<String> joined = new java.util.HashSet<>();
  private String session;
  private String user;
  private final long heartbeatMs;
  private final long timeoutMs;
  /** Position in the verticle's list, -1 once removed. */
  int slot = -1;
  private boolean welcomed;
  private long lastPingMs = System.currentTimeMillis();
  private long pingSentNanos;

  BareConnection(ServerWebSocket ws, BareStats stats, BareRooms rooms, long heartbeatMs, long timeoutMs) {
    this.ws = ws;
    this.stats = stats;
    this.rooms = rooms;
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
      // Every way a connection ends takes it out of its rooms (their watchers get the leave).
      joined.forEach(room -> rooms.leave(this, room));
      joined.clear();
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
      case "join" -> join(message);
      case "leave" -> leave(message);
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
    session = UUID.randomUUID().toString();
    user = hello.getString("user", session);
    ws.writeTextMessage(new JsonObject().put("type", "welcome").put("session", session)
        .put("node", NODE).put("user", hello.getString("user")).put("nick", hello.getString("nick"))
        .put("heartbeatMs", heartbeatMs).put("timeoutMs", timeoutMs).encode());
  }

  private void join(JsonObject join) {
    String room = join.getString("room");
    if (!welcomed || room == null) {
      return;
    }
    joined.add(room);
    BareRooms.Joined answer = rooms.join(this, room, join.getBoolean("watch", true));
    ws.writeTextMessage(answer.joined());
    if (answer.snapshot() != null) {
      ws.writeTextMessage(answer.snapshot());
    }
  }

  private void leave(JsonObject leave) {
    String room = leave.getString("room");
    if (room != null && joined.remove(room) && rooms.leave(this, room)) {
      ws.writeTextMessage(new JsonObject().put("type", "left").put("room", room).encode());
    } else {
      ws.writeTextMessage(new JsonObject().put("type", "error").put("code", "not_in_room").put("room", room)
          .encode());
    }
  }

  /** @return its session id (set by its hello) */
  @Override
  public String session() {
    return session;
  }

  /** @return its user (set by its hello) */
  @Override
  public String user() {
    return user;
  }

  /**
   * Writes a room frame; any thread (Vert.x hands the write to the connection's event loop).
   *
   * @param frame the frame's text
   */
  @Override
  public void send(String frame) {
    ws.writeTextMessage(frame);
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
