package dev.presence.faults;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A real Vert.x WebSocket client session of the presence protocol that reports everything it is told,
 * and every action it takes, to a sink (the harness's {@link History}, or stdout in a client process).
 * Vert.x answers the server's pings, so the session heartbeats for as long as its process runs.
 *
 * <p>Threads: handlers run on the socket's event loop; requests may be sent from any thread. Replies to
 * {@code nick}, {@code release}, {@code join} and {@code leave} arrive in request order (the server runs them one at a time), so the
 * pending replies form a FIFO queue.
 */
public final class TrackedSession {

  private final String client;
  private final String user;
  private final int port;
  private final Consumer<HistoryEvent> sink;
  private final Queue<Promise<JsonObject>> pendingReplies = new ConcurrentLinkedQueue<>();
  private final Promise<JsonObject> welcome = Promise.promise();
  private final Promise<Integer> closed = Promise.promise();
  private final java.util.Set<String> rooms = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile WebSocket socket;
  private volatile String session;
  private volatile boolean helloErrorExpected;

  private TrackedSession(String client, String user, int port, Consumer<HistoryEvent> sink) {
    this.client = client;
    this.user = user;
    this.port = port;
    this.sink = sink;
  }

  /**
   * Connects to {@code ws://127.0.0.1:port/ws} (or {@code wss://} as {@code listener} says) and says hello.
   *
   * @param client a key unique within the run
   * @param nick   nickname to claim in hello, or {@code null}
   * @return the session once welcomed (failed if the connection or the welcome failed)
   */
  public static Future<TrackedSession> open(WebSocketClient wsClient, NodeListener listener, int port, String client,
      String user, String nick, Consumer<HistoryEvent> sink) {
    TrackedSession tracked = new TrackedSession(client, user, port, sink);
    return wsClient.connect(listener.webSocket(port)).compose(ws -> {
      tracked.attach(ws);
      JsonObject hello = new JsonObject().put("type", "hello").put("user", user);
      if (nick != null) {
        hello.put("nick", nick);
        tracked.helloErrorExpected = true;
      }
      ws.writeTextMessage(hello.encode());
      return tracked.welcome.future();
    }).map(w -> tracked);
  }

  private void attach(WebSocket ws) {
    this.socket = ws;
    ws.textMessageHandler(this::onText);
    ws.exceptionHandler(e -> { /* the close handler records the end */ });
    ws.closeHandler(v -> {
      Short status = ws.closeStatusCode();
      int code = status == null ? 1006 : status;
      record(EventType.CLOSED, null, code, null);
      closed.tryComplete(code);
      welcome.tryFail("closed " + code + " before welcome");
      Promise<JsonObject> pending;
      while ((pending = pendingReplies.poll()) != null) {
        pending.tryFail("closed " + code);
      }
    });
  }

  private void onText(String text) {
    JsonObject message = new JsonObject(text);
    switch (message.getString("type", "")) {
      case "welcome" -> {
        session = message.getString("session");
        helloErrorExpected &= message.getString("nick") == null;
        record(EventType.WELCOME, message.getString("nick"), null, null);
        welcome.tryComplete(message);
      }
      case "nick.ok" -> reply(EventType.NICK_OK, message, message.getString("nick"), null);
      case "nick.released" -> reply(EventType.NICK_RELEASED, message, null, null);
      case "nick.lost" -> record(EventType.NICK_LOST, message.getString("nick"), null, null, message.getString("room"));
      case "nick.restored" ->
          record(EventType.NICK_RESTORED, message.getString("nick"), null, null, message.getString("room"));
      case "error" -> {
        if (helloErrorExpected) {
          helloErrorExpected = false;
          record(EventType.ERROR, null, null, message.getString("code"), null);
        } else {
          reply(EventType.ERROR, message, null, message.getString("code"));
        }
      }
      case "joined" -> {
        rooms.add(message.getString("room"));
        reply(EventType.JOINED, message, message.getString("nick"), null);
      }
      case "left" -> {
        rooms.remove(message.getString("room"));
        if (message.getString("reason") != null) {
          record(EventType.LEFT, null, null, null, message.getString("room")); // a kick: unsolicited
        } else {
          reply(EventType.LEFT, message, null, null);
        }
      }
      default -> { /* pong, who, presence frames: not part of the history */ }
    }
  }

  private void reply(EventType type, JsonObject message, String nick, String errorCode) {
    Promise<JsonObject> pending = pendingReplies.poll();
    EventType recorded = pending == null && type == EventType.ERROR ? EventType.ERROR_UNSOLICITED : type;
    record(recorded, nick, null, errorCode, message.getString("room"));
    if (pending != null) {
      pending.tryComplete(message);
    }
  }

  private void record(EventType type, String nick, Integer code, String errorCode) {
    record(type, nick, code, errorCode, null);
  }

  private void record(EventType type, String nick, Integer code, String errorCode, String room) {
    sink.accept(new HistoryEvent(System.currentTimeMillis(), client, user, port, type, nick, code, errorCode, session,
        room));
  }

  /** Sends {@code nick}. @return the reply: {@code nick.ok} or {@code error} */
  public Future<JsonObject> claim(String nick) {
    return request(new JsonObject().put("type", "nick").put("nick", nick));
  }

  /**
   * Sends {@code nick} {@code room}: claims a room nickname in a room the session is in.
   *
   * @return the reply: {@code nick.ok} or {@code error}, each with {@code room}
   */
  public Future<JsonObject> claimInRoom(String nick, String room) {
    return request(new JsonObject().put("type", "nick").put("nick", nick).put("room", room));
  }

  /** Sends {@code release} (recorded first: the client stops acting as holder now). @return the reply */
  public Future<JsonObject> release() {
    record(EventType.RELEASE_SENT, null, null, null);
    return request(new JsonObject().put("type", "release"));
  }

  /**
   * Sends {@code join} {@code room} without watching it (the room watch's watchers do).
   *
   * @return the reply: {@code joined} or {@code error} (with {@code room})
   */
  public Future<JsonObject> join(String room) {
    return join(room, null);
  }

  /**
   * Sends {@code join} {@code room} without watching it, claiming the room nickname {@code nick} if not null.
   *
   * @return the reply: {@code joined} (with the room nickname) or {@code error} (with {@code room})
   */
  public Future<JsonObject> join(String room, String nick) {
    JsonObject join = new JsonObject().put("type", "join").put("room", room).put("watch", false);
    return request(nick == null ? join : join.put("nick", nick));
  }

  /** @return the rooms the session is in as its client was told ({@code joined} until {@code left}) */
  public java.util.List<String> rooms() {
    return java.util.List.copyOf(rooms);
  }

  /** Sends {@code bye}. @return the close code */
  public Future<Integer> bye() {
    record(EventType.BYE_SENT, null, null, null);
    socket.writeTextMessage(new JsonObject().put("type", "bye").encode());
    return closed.future();
  }

  /** Sends a close frame (1000). @return the close code seen */
  public Future<Integer> close() {
    if (!closed.future().isComplete()) {
      record(EventType.CLOSE_SENT, null, null, null);
      socket.close();
    }
    return closed.future();
  }

  private Future<JsonObject> request(JsonObject request) {
    Promise<JsonObject> reply = Promise.promise();
    pendingReplies.add(reply);
    socket.writeTextMessage(request.encode()).onFailure(reply::tryFail);
    return reply.future();
  }

  /** @return the harness's key */
  public String client() {
    return client;
  }

  /** @return the user */
  public String user() {
    return user;
  }

  /** @return the server's session id (after welcome) */
  public String session() {
    return session;
  }

  /** @return the node's HTTP port */
  public int port() {
    return port;
  }

  /** @return completes with the close code once closed */
  public Future<Integer> closedFuture() {
    return closed.future();
  }

  /** @return true once the socket closed */
  public boolean isClosed() {
    return closed.future().isComplete();
  }
}
