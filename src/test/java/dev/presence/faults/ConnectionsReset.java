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
 * Scenario 3 (and 12 over TLS): many clients reset their TCP connections (SO_LINGER 0, no close frame; under TLS no
 * close_notify either) at the same moment. Every node must stop listing each one within the FIN/RST bound (p99) of
 * its reset; the 250 ms goal is reported beside it ({@link FaultTimings#finOrRstGoalMs()}).
 */
final class ConnectionsReset implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final String name;

  /** Scenario 3, on plain-text nodes. */
  ConnectionsReset() {
    this("3 many connections are reset (RST) at once");
  }

  /** @param name the scenario's number and story (the TLS variant runs the same steps on TLS nodes) */
  ConnectionsReset(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void run(ScenarioContext context) throws Exception {
    List<Integer> ports = context.cluster().ports();
    context.openSessions("s3b", 6, ports, true);
    int count = context.size().resetConnections();
    // The first burst meets JVMs that have never run the close path: measured, reported, not bounded. The
    // second burst meets them warm, as a node that has been serving for a while would be: bounded.
    burst(context, ports, count, "s3c", "client RST (SO_LINGER 0), " + count + " at once, cold JVMs", null, null);
    burst(context, ports, count, "s3", "client RST (SO_LINGER 0), " + count + " at once",
        context.timings().finOrRstBoundMs(), context.timings().finOrRstGoalMs());
  }

  private static void burst(ScenarioContext context, List<Integer> ports, int count, String prefix,
      String faultClass, Long boundMs, Long goalMs) throws Exception {
    RoomWatch rooms = context.rooms();
    List<Connected> connected = connectAll(context.listener(), ports, count, prefix, rooms.rooms(),
        context.history());
    try {
      Set<String> ids = new HashSet<>();
      connected.forEach(c -> ids.add(c.session()));
      ids.forEach(rooms::joined);
      context.awaitListed(ids, ports);
      try (GhostWatch watch = context.ghostWatch(ports)) {
        for (Connected c : connected) {
          long at = System.currentTimeMillis();
          context.history().accept(new HistoryEvent(at, c.client(), c.user(), c.port(), EventType.RESET_SENT, null,
              null, null, c.session(), null));
          c.socket().resetAbruptly();
          watch.watch(c.session(), at);
        }
        watch.awaitAllGone(Duration.ofSeconds(10));
        context.ghost(watch.stats(faultClass, boundMs, goalMs));
      }
    } finally {
      connected.forEach(c -> c.socket().close());
    }
  }

  /**
   * Runs the close path on every node before a scenario measures it: {@code count} harness sessions (with
   * nicknames) join round robin and are reset, and the call returns once no node lists them. A node that
   * has served for a while has these paths compiled; freshly started node JVMs spend a third of their CPU
   * in the JIT compilers on the first burst (scenario 3 measures that case on its own). Not recorded in the
   * history: these sessions are the harness's, like the ghost watch's probes.
   */
  static void warmUp(NodeListener listener, List<Integer> ports, int count) throws Exception {
    List<Connected> connected = connectAll(listener, ports, count, "warm", List.of(), new History());
    Set<String> ids = new HashSet<>();
    for (Connected c : connected) {
      ids.add(c.session());
      c.socket().resetAbruptly();
    }
    org.awaitility.Awaitility.await("warm-up sessions gone").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).until(() -> ports.stream()
            .noneMatch(port -> listener.sessions(port).stream().anyMatch(ids::contains)));
  }

  private record Connected(RawWebSocketClient socket, String client, String user, int port, String session) {
  }

  private static List<Connected> connectAll(NodeListener listener, List<Integer> ports, int count, String prefix,
      List<String> rooms, History history) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Connected>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> connect(listener, ports.get(n % ports.size()), prefix, n,
            RoomWatch.roomsOf(rooms, n), history)));
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

  /** Connects, says hello (with a nickname), joins {@code rooms} without watching them. */
  private static Connected connect(NodeListener listener, int port, String prefix, int n, List<String> rooms,
      History history) throws Exception {
    String user = prefix + "-u" + n;
    String nick = prefix + "N" + n;
    RawWebSocketClient socket = listener.connectRaw(port, "/ws", WAIT);
    socket.sendText(new JsonObject().put("type", "hello").put("user", user).put("nick", nick).encode());
    JsonObject welcome = socket.awaitType("welcome", WAIT);
    String session = welcome.getString("session");
    // Joins sent back to back, answered in order: one round trip however many rooms.
    for (String room : rooms) {
      socket.sendText(new JsonObject().put("type", "join").put("room", room).put("watch", false).encode());
    }
    for (int i = 0; i < rooms.size(); i++) {
      socket.awaitType("joined", WAIT);
    }
    history.accept(new HistoryEvent(System.currentTimeMillis(), prefix + "r" + n, user, port, EventType.WELCOME,
        welcome.getString("nick"), null, null, session, null));
    return new Connected(socket, prefix + "r" + n, user, port, session);
  }
}
