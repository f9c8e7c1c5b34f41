package dev.presence.load.scenario;

import dev.presence.load.run.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures ghost windows on {@code presence.events}, the view a subscriber (a dashboard, another service)
 * has: one client of each surviving node's SockJS event-bus bridge ({@code /eventbus/websocket}) notes when
 * each watched session's {@code leave} reached that node. A session is gone when its leave reached every
 * survivor. Unlike walking the paged {@code /presence} view ({@link GhostWatch}), whose every page is a
 * cluster-wide query and whose one walk takes seconds at 50,000 sessions, the time is exact to the arrival.
 *
 * <p>Threads: the JDK WebSocket client's listener threads record arrivals; one scheduler sends the bridge's
 * {@code ping} every 5 s (the bridge closes clients silent for 10 s).
 */
final class EventGhostWatch implements AutoCloseable {

  private final List<ServerProcess> survivors;
  private final Map<String, Long> faultAt = new ConcurrentHashMap<>();
  private final Map<Integer, Map<String, Long>> leaveAt = new ConcurrentHashMap<>();
  private final Map<Integer, Set<String>> joinsSeen = new ConcurrentHashMap<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "event-ghost-watch-ping");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newHttpClient();

  /** Subscribes to every survivor's bridge; call {@link #awaitSubscribed} before the fault. */
  EventGhostWatch(List<ServerProcess> survivors) {
    this.survivors = List.copyOf(survivors);
    for (ServerProcess node : survivors) {
      leaveAt.put(node.httpPort(), new ConcurrentHashMap<>());
      joinsSeen.put(node.httpPort(), ConcurrentHashMap.newKeySet());
      WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(URI.create("ws://127.0.0.1:" + node.httpPort() + "/eventbus/websocket"),
              new Recorder(node.httpPort()))
          .join();
      socket.sendText(new JsonObject().put("type", "register").put("address", "presence.events").encode(), true)
          .join();
      sockets.add(socket);
    }
    String ping = new JsonObject().put("type", "ping").encode();
    pinger.scheduleAtFixedRate(() -> sockets.forEach(s -> s.sendText(ping, true)), 5, 5, TimeUnit.SECONDS);
  }

  /**
   * Subscriptions spread through the cluster asynchronously: for each survivor, opens probe sessions there
   * until every bridge has seen one's join. @return true if every survivor's events reach every bridge
   */
  boolean awaitSubscribed(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    for (ServerProcess node : survivors) {
      boolean reached = false;
      while (!reached && System.currentTimeMillis() < deadline) {
        String probe = probeSession(node.httpPort());
        long until = System.currentTimeMillis() + 500;
        while (!reached && probe != null && System.currentTimeMillis() < until) {
          reached = joinsSeen.values().stream().allMatch(seen -> seen.contains(probe));
          sleep(10);
        }
      }
      if (!reached) {
        return false;
      }
    }
    return true;
  }

  /** Opens one session on the node (hello) and ends it (bye); @return its id, or null if it failed */
  private String probeSession(int port) {
    CompletableFuture<String> welcome = new CompletableFuture<>();
    try {
      WebSocket probe = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
          new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              JsonObject message = new JsonObject(data.toString());
              if ("welcome".equals(message.getString("type"))) {
                welcome.complete(message.getString("session"));
              }
              ws.request(1);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      probe.sendText(new JsonObject().put("type", "hello").put("user", "ghost-probe-" + UUID.randomUUID())
          .encode(), true);
      String session = welcome.get(10, TimeUnit.SECONDS);
      probe.sendText(new JsonObject().put("type", "bye").encode(), true);
      return session;
    } catch (Exception e) {
      return null;
    }
  }

  /** Watches {@code session} from its fault at {@code at} (epoch ms). Any thread. */
  void watch(String session, long at) {
    faultAt.put(session, at);
  }

  /** @return per watched session whose leave reached every survivor: fault → last arrival, ms */
  Map<String, Long> windows() {
    Map<String, Long> windows = new HashMap<>();
    faultAt.forEach((session, fault) -> {
      long latest = 0;
      for (ServerProcess node : survivors) {
        Long at = leaveAt.get(node.httpPort()).get(session);
        if (at == null) {
          return;
        }
        latest = Math.max(latest, at);
      }
      windows.put(session, Math.max(0, latest - fault));
    });
    return windows;
  }

  /** Waits (bounded) until every watched session's leave reached every survivor. @return true if so */
  boolean awaitAllGone(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (windows().size() < faultAt.size() && System.currentTimeMillis() < deadline) {
      sleep(50);
    }
    return windows().size() == faultAt.size();
  }

  /** @return how many sessions are watched */
  int watched() {
    return faultAt.size();
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    sockets.forEach(s -> s.abort());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records join and leave arrivals of one node's bridge. The node writes each message as a binary frame. */
  private final class Recorder implements WebSocket.Listener {
    private final int port;
    private final StringBuilder text = new StringBuilder();
    private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

    Recorder(int port) {
      this.port = port;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        record(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      binary.writeBytes(bytes);
      if (last) {
        record(binary.toString(StandardCharsets.UTF_8));
        binary = new java.io.ByteArrayOutputStream();
      }
      ws.request(1);
      return null;
    }

    private void record(String frame) {
      long now = System.currentTimeMillis();
      JsonObject message = new JsonObject(frame);
      if (!"rec".equals(message.getString("type"))) {
        return;
      }
      JsonObject event = message.getJsonObject("body");
      String session = event.getString("session");
      if ("leave".equals(event.getString("event"))) {
        leaveAt.get(port).putIfAbsent(session, now);
      } else if ("join".equals(event.getString("event"))) {
        joinsSeen.get(port).add(session);
      }
    }
  }
}
