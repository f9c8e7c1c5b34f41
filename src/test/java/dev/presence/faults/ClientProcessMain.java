package dev.presence.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client process the harness can kill (kill -9) or freeze (SIGSTOP): opens N sessions, round robin over
 * the given node ports, each {@code hello} with user {@code <prefix>-u<i>} and nick {@code <prefix>N<i>},
 * keeps them heartbeating (Vert.x answers pings), and prints one JSON line per event on stdout
 * ({@link HistoryEvent#toJson()}), then {@code READY} once every session is welcomed (and, with {@code --rooms
 * r0,r1,r2}, has joined its rooms, {@link RoomWatch#roomsOf}, without watching them, with its nickname as room
 * nickname). Exits by itself after
 * {@code --max-seconds} so that nothing outlives a broken harness.
 *
 * <p>Usage: {@code ClientProcessMain --ports 8081,8082 --sessions 20 --prefix k1 --max-seconds 300 [--rooms a,b]}, plus
 * {@code --tls-cert PATH --tls-key PATH} for nodes that speak TLS (wss://, trusting that certificate).
 */
public final class ClientProcessMain {

  /** Printed once every session got its welcome. */
  public static final String READY = "READY";

  private ClientProcessMain() {
  }

  /** @param args see the class comment */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = FaultSuite.options(args);
    List<Integer> ports = java.util.Arrays.stream(options.get("--ports").split(",")).map(Integer::valueOf).toList();
    int sessions = Integer.parseInt(options.getOrDefault("--sessions", "10"));
    String prefix = options.getOrDefault("--prefix", "p");
    long maxSeconds = Long.parseLong(options.getOrDefault("--max-seconds", "300"));
    List<String> rooms = options.containsKey("--rooms") ? List.of(options.get("--rooms").split(",")) : List.of();
    NodeListener listener = NodeListener.fromArguments(options);
    Vertx vertx = Vertx.vertx();
    WebSocketClient client = vertx.createWebSocketClient(
        listener.clientOptions(new WebSocketClientOptions().setMaxConnections(100_000)));
    List<Future<TrackedSession>> opened = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      List<String> its = RoomWatch.roomsOf(rooms, i);
      String nick = prefix + "N" + i;
      opened.add(TrackedSession.open(client, listener, ports.get(i % ports.size()), prefix + "-c" + i, prefix + "-u" + i,
          nick, ClientProcessMain::print).compose(session -> joinAll(session, its, nick)));
    }
    Future.all(opened).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    print(READY);
    Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
    // Vert.x closes a WebSocketClient that becomes unreachable, even mid-connect (eclipse-vertx/vert.x#5839; TlsIT
    // saw it once during a slow TLS handshake): reachable for as long as the sessions are meant to live.
    java.lang.ref.Reference.reachabilityFence(client);
    vertx.close();
    System.exit(0);
  }

  /**
   * Joins {@code rooms} one after the other, claiming {@code nick} in each as its room nickname (as the harness's
   * sessions do, {@code ScenarioContext.openSessions}); fails on any answer but {@code joined} (no READY then).
   */
  private static Future<TrackedSession> joinAll(TrackedSession session, List<String> rooms, String nick) {
    Future<TrackedSession> joined = Future.succeededFuture(session);
    for (String room : rooms) {
      joined = joined.compose(s -> s.join(room, nick).compose(reply -> "joined".equals(reply.getString("type"))
          ? Future.succeededFuture(s) : Future.failedFuture("join " + room + ": " + reply.encode())));
    }
    return joined;
  }

  private static void print(HistoryEvent event) {
    print(event.toJson().encode());
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
