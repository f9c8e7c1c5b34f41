package dev.presence.faults;

import dev.presence.testing.RawWebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: many clients reset their TCP connections (SO_LINGER 0, no close frame) at the same moment.
 * Every node must stop listing each one within 250 ms (p99) of its reset.
 */
final class ConnectionsReset implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "3 many connections are reset (RST) at once";
  }

  @Override
  public void run(ScenarioContext context) throws Exception {
    List<Integer> ports = context.cluster().ports();
    context.openSessions("s3b", 6, ports, true);
    int count = context.size().resetConnections();
    List<Connected> connected = connectAll(ports, count, context.history());
    try {
      Set<String> ids = new HashSet<>();
      connected.forEach(c -> ids.add(c.session()));
      context.awaitListed(ids, ports);
      try (GhostWatch watch = new GhostWatch(ports)) {
        for (Connected c : connected) {
          long at = System.currentTimeMillis();
          context.history().accept(new HistoryEvent(at, c.client(), c.user(), c.port(), EventType.RESET_SENT, null,
              null, null, c.session()));
          c.socket().resetAbruptly();
          watch.watch(c.session(), at);
        }
        watch.awaitAllGone(Duration.ofSeconds(10));
        context.ghost(watch.stats("client RST (SO_LINGER 0), " + count + " at once",
            context.timings().finOrRstBoundMs()));
      }
    } finally {
      connected.forEach(c -> c.socket().close());
    }
  }

  private record Connected(RawWebSocketClient socket, String client, String user, int port, String session) {
  }

  private static List<Connected> connectAll(List<Integer> ports, int count, History history) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Connected>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> connect(ports.get(n % ports.size()), n, history)));
      }
      List<Connected> connected = new ArrayList<>();
      for (Future<Connected> f : futures) {
        connected.add(f.get(60, TimeUnit.SECONDS));
      }
      return connected;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Connected connect(int port, int n, History history) throws Exception {
    String user = "s3-u" + n;
    String nick = "s3N" + n;
    RawWebSocketClient socket = RawWebSocketClient.connect("127.0.0.1", port, "/ws", WAIT);
    socket.sendText(new JsonObject().put("type", "hello").put("user", user).put("nick", nick).encode());
    JsonObject welcome = socket.awaitType("welcome", WAIT);
    String session = welcome.getString("session");
    history.accept(new HistoryEvent(System.currentTimeMillis(), "r" + n, user, port, EventType.WELCOME,
        welcome.getString("nick"), null, null, session));
    return new Connected(socket, "r" + n, user, port, session);
  }
}
