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
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two thousand sessions on two nodes end at the same moment, half by TCP reset and half by their client
 * process dropping every connection at once. No exception escapes, every registry and the presence map
 * end empty, and the nodes accept new sessions right after.
 */
class MassDisconnectIT {

  static final int PER_KIND = 1_000;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    // The raw clients stay silent after hello; a long heartbeat timeout keeps them during setup.
    cluster = TestCluster.start(2, new TestCluster.Timings(10_000, 300_000, 300_000, 5_000));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void two_thousand_sessions_closing_at_once_leave_no_session_no_error_and_a_working_node() throws Exception {
    ErrorLogRecorder.clear();
    List<RawWebSocketClient> raw = new ArrayList<>();
    for (int i = 0; i < PER_KIND; i++) {
      RawWebSocketClient client = RawWebSocketClient.connect("127.0.0.1", cluster.port(i % 2), "/ws",
          Duration.ofSeconds(10));
      client.sendText(new JsonObject().put("type", "hello").put("user", "raw-" + i)
          .put("nick", i % 2 == 0 ? "raw" + i : null).encode());
      raw.add(client);
    }
    for (RawWebSocketClient client : raw) {
      client.awaitType("welcome", Duration.ofSeconds(10));
    }
    Vertx clientVertx = Vertx.vertx();
    WebSocketClient vertxClient = clientVertx.createWebSocketClient(
        new WebSocketClientOptions().setMaxConnections(PER_KIND * 2));
    List<Future<TestSession>> opening = new ArrayList<>();
    for (int i = 0; i < PER_KIND; i++) {
      opening.add(TestSession.open(vertxClient, cluster.port(i % 2)));
    }
    TestSession.await(Future.all(opening));
    for (int i = 0; i < PER_KIND; i++) {
      opening.get(i).result().send(new JsonObject().put("type", "hello").put("user", "vx-" + i));
    }
    opening.forEach(f -> f.result().awaitType("welcome"));
    Awaitility.await("all 2,000 listed").atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(PresenceHttp.sessions(cluster.adminPort(0))).hasSize(2 * PER_KIND));
    assertThat(cluster.node(0).localSessions() + cluster.node(1).localSessions()).isEqualTo(2 * PER_KIND);

    // The same moment: the Vert.x client drops all its connections while the raw ones reset.
    Future<Void> dropped = clientVertx.close();
    for (RawWebSocketClient client : raw) {
      client.resetAbruptly();
    }
    TestSession.await(dropped);

    Awaitility.await("registries empty").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> cluster.node(0).localSessions() == 0 && cluster.node(1).localSessions() == 0);
    Awaitility.await("presence map empty").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> PresenceHttp.sessions(cluster.adminPort(0)).isEmpty()
            && PresenceHttp.sessions(cluster.adminPort(1)).isEmpty());
    assertThat(cluster.uncaught()).isEmpty();
    assertThat(ErrorLogRecorder.errors()).isEmpty();

    Vertx freshVertx = Vertx.vertx();
    try {
      WebSocketClient fresh = freshVertx.createWebSocketClient();
      for (int node = 0; node < 2; node++) {
        TestSession newcomer = TestSession.hello(fresh, cluster.port(node), "newcomer-" + node, "Newcomer" + node);
        assertThat(newcomer.awaitType("welcome").getString("nick")).isEqualTo("Newcomer" + node);
      }
      assertThat(PresenceHttp.sessions(cluster.adminPort(1))).hasSize(2);
    } finally {
      freshVertx.close();
    }
  }
}
