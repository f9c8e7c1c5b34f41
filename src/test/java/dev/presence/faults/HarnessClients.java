package dev.presence.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-harness clients: real WebSocket sessions in the harness's JVM (one Vert.x instance), each
 * recording into the current scenario's {@link History}. Blocking helpers are for the scenario thread
 * (never an event loop).
 */
public final class HarnessClients implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final NodeListener listener;
  private final WebSocketClient client;
  private final AtomicInteger keys = new AtomicInteger();

  /** Clients of plain-text nodes. */
  public HarnessClients() {
    this(NodeListener.PLAIN);
  }

  /** @param listener how the nodes listen (plain, or TLS trusting their pair) */
  public HarnessClients(NodeListener listener) {
    this.listener = listener;
    this.client = vertx.createWebSocketClient(listener.clientOptions(
        new WebSocketClientOptions().setMaxConnections(100_000).setConnectTimeout(10_000)));
  }

  /**
   * Opens a session and waits for its welcome.
   *
   * @param nick nickname to claim in hello, or {@code null}
   */
  public TrackedSession open(int port, String user, String nick, History history) {
    return await(openAsync(port, user, nick, history));
  }

  /** As {@link #open}, without waiting. */
  public Future<TrackedSession> openAsync(int port, String user, String nick, History history) {
    return TrackedSession.open(client, listener, port, "h" + keys.incrementAndGet(), user, nick, history);
  }

  /** @return a WebSocket connected (upgrade done) to the node's {@code /ws}, nothing said yet (room watchers) */
  public Future<WebSocket> connect(int port) {
    return client.connect(listener.webSocket(port));
  }

  /** Opens one session per (port, user, nick) at once and waits for every welcome. */
  public List<TrackedSession> openAll(List<Integer> ports, List<String> users, List<String> nicks, History history) {
    List<Future<TrackedSession>> opened = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      opened.add(openAsync(ports.get(i % ports.size()), users.get(i), nicks.get(i), history));
    }
    await(Future.all(opened));
    return opened.stream().map(Future::result).toList();
  }

  /** @return a future completed after {@code ms} milliseconds, on a client event loop */
  public Future<Void> delay(long ms) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.setTimer(Math.max(1, ms), id -> done.complete());
    return done.future();
  }

  /** Closes every still-open session of the list (close frame) and waits, bounded. */
  public static void closeAll(List<TrackedSession> sessions) {
    List<Future<Integer>> closing = sessions.stream().map(TrackedSession::close).toList();
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // A session on a dead node may never see its close; the process end releases it.
    }
  }

  /** Blocks the scenario thread on a future for at most 60 s. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort at the end of a run.
    }
  }
}
