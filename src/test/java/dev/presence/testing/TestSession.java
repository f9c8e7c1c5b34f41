package dev.presence.testing;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Vert.x WebSocket client session speaking the presence protocol: records every JSON message and
 * the close status it receives, so tests can await them from the test thread. Vert.x answers server
 * pings automatically. Thread-safe for the recording; send from any thread.
 */
public final class TestSession {

  private final WebSocket ws;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  private TestSession(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> received.add(new JsonObject(text)));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    // A reset by a node the test killed is a close (the close handler records it), not an ERROR line to print.
    ws.exceptionHandler(e -> { });
  }

  /**
   * Opens a WebSocket to {@code /ws} on 127.0.0.1.
   *
   * @return the session once the upgrade completed
   */
  public static Future<TestSession> open(WebSocketClient client, int port) {
    return client.connect(port, "127.0.0.1", "/ws").map(TestSession::new);
  }

  /**
   * Opens a WebSocket as {@code options} say (e.g. {@code wss://localhost} with {@code setSsl(true)}).
   *
   * @return the session once the upgrade completed
   */
  public static Future<TestSession> open(WebSocketClient client, io.vertx.core.http.WebSocketConnectOptions options) {
    return client.connect(options).map(TestSession::new);
  }

  /** Blocking {@link #open}; test thread only. */
  public static TestSession connect(WebSocketClient client, int port) {
    return await(open(client, port));
  }

  /**
   * Opens a session and says hello, waiting for the welcome (test thread only).
   *
   * @param nick nickname to claim in hello, or {@code null}
   */
  public static TestSession hello(WebSocketClient client, int port, String user, String nick) {
    TestSession session = connect(client, port);
    JsonObject hello = new JsonObject().put("type", "hello").put("user", user);
    if (nick != null) {
      hello.put("nick", nick);
    }
    session.send(hello);
    session.awaitType("welcome");
    return session;
  }

  /** Sends one JSON text message. */
  public Future<Void> send(JsonObject message) {
    return ws.writeTextMessage(message.encode());
  }

  /** Sends raw text. */
  public Future<Void> sendText(String text) {
    return ws.writeTextMessage(text);
  }

  /** @return the first message of that type received so far, waiting up to 10 s */
  public JsonObject awaitType(String type) {
    return awaitNth(type, 1);
  }

  /** @return the n-th (1-based) message of that type, waiting up to 10 s */
  public JsonObject awaitNth(String type, int n) {
    // No initial poll delay: awaiting many sessions one after another must not cost 100 ms each.
    Awaitility.await(type + " #" + n).atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .until(() -> ofType(type).size() >= n);
    return ofType(type).get(n - 1);
  }

  /** @return every message received so far, in arrival order (a copy) */
  public List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** @return every message of that type received so far */
  public List<JsonObject> ofType(String type) {
    return received.stream().filter(m -> type.equals(m.getString("type"))).toList();
  }

  /** @return the session id from the welcome */
  public String sessionId() {
    return awaitType("welcome").getString("session");
  }

  /** @return the close status the server sent, waiting up to {@code timeout} */
  public short awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** @return true once the WebSocket is closed */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** @return the underlying socket */
  public WebSocket socket() {
    return ws;
  }

  /** Blocks the test thread on a Vert.x future (never call from an event loop). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
