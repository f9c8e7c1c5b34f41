package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.cluster.ClusterNames;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that die badly: one that goes silent (no FIN, no heartbeats, stops reading) and one whose
 * socket ends with a TCP reset. Both must disappear from every node's presence, with a leave event on
 * the other node, and their nicknames must stay reserved for their user.
 */
class SilentAndResetClientIT {

  static final Duration WAIT = Duration.ofSeconds(5);
  TestCluster cluster;
  final List<JsonObject> eventsOnOtherNode = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    cluster.close();
  }

  void startCluster(TestCluster.Timings timings) {
    cluster = TestCluster.start(2, timings);
    TestSessionsAwait.consumer(cluster.node(1).runtime().vertx(), ClusterNames.EVENTS_ADDRESS, eventsOnOtherNode);
  }

  @Test
  void a_silent_client_is_evicted_within_the_timeout_plus_two_seconds_and_the_other_node_sees_its_leave()
      throws Exception {
    long timeoutMs = 2_000;
    startCluster(new TestCluster.Timings(500, timeoutMs, 60_000, 5_000));
    RawWebSocketClient silent = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    silent.sendText("{\"type\":\"hello\",\"user\":\"sleepy\",\"nick\":\"Sleepy\"}");
    long lastFrameSent = System.currentTimeMillis();
    String session = silent.awaitType("welcome", WAIT).getString("session");
    // From here on the client sends nothing, answers no ping and reads nothing (as if SIGSTOPped).
    silent.autoPong(false);

    Awaitility.await("silent session gone from the other node").atMost(Duration.ofMillis(timeoutMs + 2_000))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !PresenceHttp.sessions(cluster.adminPort(1)).contains(session));
    long evictedAfter = System.currentTimeMillis() - lastFrameSent;
    assertThat(evictedAfter).isLessThanOrEqualTo(timeoutMs + 2_000);
    assertThat(PresenceHttp.sessions(cluster.adminPort(0))).doesNotContain(session);
    Awaitility.await("leave event on the other node").atMost(WAIT).until(() -> eventsOnOtherNode.stream()
        .anyMatch(e -> "leave".equals(e.getString("event")) && session.equals(e.getString("session"))
            && "heartbeat_timeout".equals(e.getString("reason"))));
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "sleepy").body().getString("state")).isEqualTo("grace");
    // The server stopped sending into the dead session: it closed it with 4000.
    assertThat(silent.awaitClose(WAIT).code()).isEqualTo(4000);
    assertThat(cluster.node(0).localSessions()).isZero();
    assertThat(cluster.uncaught()).isEmpty();
    silent.close();
  }

  @Test
  void a_client_reset_with_so_linger_zero_is_gone_from_both_nodes_within_one_second_with_default_timeouts()
      throws Exception {
    startCluster(TestCluster.Timings.DEFAULTS);
    RawWebSocketClient client = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    client.sendText("{\"type\":\"hello\",\"user\":\"resetter\",\"nick\":\"Resetter\"}");
    String session = client.awaitType("welcome", WAIT).getString("session");
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).contains(session);

    long reset = System.currentTimeMillis();
    client.resetAbruptly();
    Awaitility.await("reset session gone from both nodes").atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !PresenceHttp.sessions(cluster.adminPort(0)).contains(session)
            && !PresenceHttp.sessions(cluster.adminPort(1)).contains(session));
    assertThat(System.currentTimeMillis() - reset).isLessThanOrEqualTo(1_000);
    Awaitility.await("leave event on the other node").atMost(WAIT).until(() -> eventsOnOtherNode.stream()
        .anyMatch(e -> "leave".equals(e.getString("event")) && session.equals(e.getString("session"))
            && "reset".equals(e.getString("reason"))));
    // A reset is an abnormal end: the nickname is reserved for its user, not freed.
    PresenceHttp.Response lease = PresenceHttp.nickname(cluster.adminPort(1), "resetter");
    assertThat(lease.body().getString("state")).isEqualTo("grace");
    assertThat(lease.body().getString("user")).isEqualTo("resetter");
    assertThat(cluster.node(0).localSessions()).isZero();
    assertThat(cluster.uncaught()).isEmpty();
  }
}
