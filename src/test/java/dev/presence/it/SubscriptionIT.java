package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.ErrorLogRecorder;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence subscriptions across two real nodes with real WebSocket clients: the snapshot, joins and leaves
 * and updates from both nodes in batched diffs, {@code all}, unsubscribe; a subscriber that stops reading is
 * resynced instead of closed or buffered without bound; a mass reset arrives as a few diffs.
 */
class SubscriptionIT {

  static final Duration WAIT = Duration.ofSeconds(15);
  /** Churn of the slow-subscriber story: rounds of sessions opened together, then closed together. */
  static final int MAX_ROUNDS = 60;
  static final int PER_ROUND = 200;
  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    // A long heartbeat timeout: the slow subscriber does not answer pings while it is not reading.
    cluster = TestCluster.start(2, new TestCluster.Timings(10_000, 120_000, 120_000, 5_000));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(2_000));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void a_subscriber_gets_the_snapshot_then_joins_leaves_and_updates_from_both_nodes_until_it_unsubscribes()
      throws Exception {
    ErrorLogRecorder.clear();
    TestSession alice = TestSession.hello(client, cluster.port(0), "sub-alice", null);
    TestSession watcher = TestSession.hello(client, cluster.port(0), "sub-watcher", null);
    watcher.send(subscribe("sub-alice", "sub-bob", "sub-carol"));
    JsonObject state = watcher.awaitType("presence.state");
    assertThat(sessionsOf(state.getJsonArray("sessions"))).containsExactly(alice.sessionId());
    assertThat(state.getBoolean("truncated")).isFalse();
    JsonObject aliceEntry = state.getJsonArray("sessions").getJsonObject(0);
    assertThat(aliceEntry.getString("user")).isEqualTo("sub-alice");
    assertThat(aliceEntry.getString("node")).isEqualTo(cluster.node(0).nodeId());
    assertThat(aliceEntry.getLong("since")).isPositive();

    TestSession bob = TestSession.hello(client, cluster.port(1), "sub-bob", null);
    RawWebSocketClient carol = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    carol.sendText(new JsonObject().put("type", "hello").put("user", "sub-carol").encode());
    String carolSession = carol.awaitType("welcome", WAIT).getString("session");
    TestSession stranger = TestSession.hello(client, cluster.port(1), "sub-stranger", null);
    Awaitility.await("joins of bob (node B) and carol (node A)").atMost(WAIT).untilAsserted(() ->
        assertThat(sessionsOf(changes(watcher, "joins"))).contains(bob.sessionId(), carolSession));
    JsonObject bobJoin = find(changes(watcher, "joins"), bob.sessionId());
    assertThat(bobJoin.getString("node")).isEqualTo(cluster.node(1).nodeId());
    assertThat(bobJoin.getString("user")).isEqualTo("sub-bob");

    carol.resetAbruptly();
    Awaitility.await("carol's leave").atMost(WAIT).untilAsserted(() ->
        assertThat(sessionsOf(changes(watcher, "leaves"))).contains(carolSession));
    assertThat(find(changes(watcher, "leaves"), carolSession).getString("reason")).isEqualTo("reset");

    bob.send(new JsonObject().put("type", "nick").put("nick", "Bobby"));
    bob.awaitType("nick.ok");
    Awaitility.await("bob's nick update").atMost(WAIT).untilAsserted(() ->
        assertThat(changes(watcher, "updates").stream().map(JsonObject.class::cast))
            .anySatisfy(u -> {
              assertThat(u.getString("session")).isEqualTo(bob.sessionId());
              assertThat(u.getString("nick")).isEqualTo("Bobby");
            }));
    // The stranger joined on bob's node before bob's nick change, so its join would have arrived by now.
    assertThat(sessionsOf(changes(watcher, "joins"))).doesNotContain(stranger.sessionId());

    TestSession everyone = TestSession.hello(client, cluster.port(1), "sub-everyone", null);
    everyone.send(new JsonObject().put("type", "subscribe").put("all", true));
    JsonObject all = everyone.awaitType("presence.state");
    assertThat(sessionsOf(all.getJsonArray("sessions")))
        .contains(alice.sessionId(), bob.sessionId(), stranger.sessionId(), watcher.sessionId(),
            everyone.sessionId())
        .doesNotContain(carolSession);
    assertThat(all.getBoolean("truncated")).isFalse();

    watcher.send(new JsonObject().put("type", "unsubscribe"));
    watcher.send(new JsonObject().put("type", "who"));
    watcher.awaitType("who"); // queued after the unsubscribe: it has taken effect
    int diffsBefore = watcher.ofType("presence.diff").size();
    TestSession aliceAgain = TestSession.hello(client, cluster.port(1), "sub-alice", null);
    Awaitility.await("the all-subscriber sees alice's second session").atMost(WAIT).untilAsserted(() ->
        assertThat(sessionsOf(changes(everyone, "joins"))).contains(aliceAgain.sessionId()));
    Awaitility.await("no diff after unsubscribe").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> watcher.ofType("presence.diff").size() == diffsBefore);
    assertThat(watcher.ofType("presence.diff")).hasSize(diffsBefore);
    assertThat(cluster.uncaught()).isEmpty();
    assertThat(ErrorLogRecorder.errors()).isEmpty();
  }

  @Test
  void a_malformed_subscribe_is_a_bad_request_and_the_session_goes_on() {
    TestSession session = TestSession.hello(client, cluster.port(0), "sub-malformed", null);
    session.send(new JsonObject().put("type", "subscribe").put("users", new JsonArray()));
    assertThat(session.awaitType("error").getString("code")).isEqualTo("bad_request");
    session.send(new JsonObject().put("type", "ping").put("seq", 1));
    assertThat(session.awaitType("pong").getInteger("seq")).isEqualTo(1);
  }

  @Test
  void a_subscriber_that_stops_reading_is_resynced_not_closed_and_other_sessions_keep_their_pings_on_time()
      throws Exception {
    ErrorLogRecorder.clear();
    TestSession bystander = TestSession.hello(client, cluster.port(0), "slow-bystander", null);
    // A tiny receive window: the node's write queue to this client fills after a few kilobytes.
    try (RawWebSocketClient slow = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT, 4_096)) {
      slow.sendText(new JsonObject().put("type", "hello").put("user", "slow-subscriber").encode());
      slow.awaitType("welcome", WAIT);
      slow.sendText(new JsonObject().put("type", "subscribe").put("all", true).encode());
      slow.awaitType("presence.state", WAIT);
      // From here on the subscriber reads nothing until the churn is over.

      Set<String> before = PresenceHttp.sessions(cluster.adminPort(0));
      List<Long> rtts = new ArrayList<>();
      // Loopback TCP absorbs megabytes (a 64 KiB MSS lets the kernel grow the send buffer), so the churn goes on,
      // in bounded rounds, until the node reports that it resynced a subscriber instead of queueing more.
      for (int round = 0; round < MAX_ROUNDS && resyncs(cluster.adminPort(0)) == 0; round++) {
        List<TestSession> sessions = openMany(cluster.port(round % 2), "churn-" + round + "-" + "x".repeat(100),
            PER_ROUND);
        rtts.add(pingRoundTripMs(bystander, 2 * round));
        TestSession.await(Future.all(sessions.stream().map(s -> s.socket().close()).toList()));
        rtts.add(pingRoundTripMs(bystander, 2 * round + 1));
      }
      assertThat(resyncs(cluster.adminPort(0))).as("resyncs on the subscriber's node").isEqualTo(1);
      Awaitility.await("churn over").atMost(WAIT)
          .until(() -> PresenceHttp.sessions(cluster.adminPort(1)).equals(before));
      assertThat(rtts).as("bystander ping round trips (ms) during the churn").allSatisfy(rtt ->
          assertThat(rtt).isLessThan(1_000L));

      // Reading again: the backlog, then the resync notice, then a snapshot of the cluster as it is now.
      JsonObject resync = slow.awaitType("presence.resync", WAIT);
      assertThat(resync.fieldNames()).containsExactly("type");
      JsonObject fresh = slow.awaitType("presence.state", WAIT);
      assertThat(Set.copyOf(sessionsOf(fresh.getJsonArray("sessions")))).isEqualTo(before);
      slow.sendText(new JsonObject().put("type", "ping").put("seq", "alive").encode());
      assertThat(slow.awaitType("pong", WAIT).getString("seq")).isEqualTo("alive");
    }
    assertThat(cluster.uncaught()).isEmpty();
    assertThat(ErrorLogRecorder.errors()).isEmpty();
  }

  @Test
  void three_hundred_sessions_reset_at_once_reach_the_subscriber_as_leaves_in_a_few_diffs() throws Exception {
    List<String> users = Stream.iterate(0, i -> i + 1).limit(300).map(i -> "mass-" + i).toList();
    List<RawWebSocketClient> raw = new ArrayList<>();
    List<String> sessions = new ArrayList<>();
    for (String user : users) {
      RawWebSocketClient c = RawWebSocketClient.connect("127.0.0.1", cluster.port(1), "/ws", WAIT);
      c.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
      raw.add(c);
    }
    for (RawWebSocketClient c : raw) {
      sessions.add(c.awaitType("welcome", WAIT).getString("session"));
    }
    TestSession watcher = TestSession.hello(client, cluster.port(0), "mass-watcher", null);
    watcher.send(new JsonObject().put("type", "subscribe").put("users", new JsonArray(new ArrayList<>(users))));
    JsonObject state = watcher.awaitType("presence.state");
    assertThat(sessionsOf(state.getJsonArray("sessions"))).containsExactlyInAnyOrderElementsOf(sessions);

    for (RawWebSocketClient c : raw) {
      c.resetAbruptly();
    }
    Awaitility.await("300 leaves").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(sessionsOf(changes(watcher, "leaves"))).containsExactlyInAnyOrderElementsOf(sessions));
    assertThat(changes(watcher, "leaves").stream().map(o -> ((JsonObject) o).getString("reason")))
        .containsOnly("reset");
    long framesWithLeaves = watcher.ofType("presence.diff").stream()
        .filter(d -> !d.getJsonArray("leaves").isEmpty()).count();
    assertThat(framesWithLeaves).as("diff frames carrying the 300 leaves").isBetween(1L, 25L);
  }

  /** Opens {@code count} sessions at once on a node, users {@code prefix-i}, and waits for every welcome. */
  private static List<TestSession> openMany(int port, String prefix, int count) {
    List<Future<TestSession>> opening = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opening.add(TestSession.open(client, port));
    }
    TestSession.await(Future.all(opening));
    List<TestSession> sessions = opening.stream().map(Future::result).toList();
    for (int i = 0; i < count; i++) {
      sessions.get(i).send(new JsonObject().put("type", "hello").put("user", prefix + "-" + i));
    }
    sessions.forEach(s -> s.awaitType("welcome"));
    return sessions;
  }

  /** @return {@code presence_subscription_resyncs_total} of a node */
  private static double resyncs(int port) {
    return PresenceHttp.metrics(port).lines().filter(l -> l.startsWith("presence_subscription_resyncs_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Sends {@code ping} with {@code seq} and measures (ms) until its pong is seen. */
  private static long pingRoundTripMs(TestSession session, int seq) {
    long sent = System.nanoTime();
    session.send(new JsonObject().put("type", "ping").put("seq", seq));
    Awaitility.await("pong " + seq).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
        .until(() -> session.ofType("pong").stream().anyMatch(p -> Integer.valueOf(seq).equals(p.getValue("seq"))));
    return (System.nanoTime() - sent) / 1_000_000;
  }

  private static JsonObject subscribe(String... users) {
    return new JsonObject().put("type", "subscribe").put("users", new JsonArray(List.of((Object[]) users)));
  }

  /** Every change of that kind ({@code joins}, {@code leaves}, {@code updates}) in the diffs received so far. */
  private static JsonArray changes(TestSession session, String kind) {
    JsonArray all = new JsonArray();
    session.ofType("presence.diff").forEach(diff -> diff.getJsonArray(kind).forEach(all::add));
    return all;
  }

  private static List<String> sessionsOf(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("session")).collect(Collectors.toList());
  }

  private static JsonObject find(JsonArray entries, String session) {
    return entries.stream().map(JsonObject.class::cast).filter(e -> session.equals(e.getString("session")))
        .findFirst().orElseThrow();
  }
}
