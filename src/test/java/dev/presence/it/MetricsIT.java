package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint carries JVM, Vert.x and service metrics, and they move as sessions come and go. */
class MetricsIT {

  static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void metrics_move_as_sessions_join_claim_heartbeat_and_leave() throws Exception {
    Vertx clientVertx = Vertx.vertx();
    // Short heartbeats and leases so pings, pongs and renewals happen within the test.
    try (TestCluster cluster = TestCluster.start(1, new TestCluster.Timings(200, 1_500, 60_000, 5_000))) {
      int port = cluster.port(0);
      String before = PresenceHttp.metrics(cluster.adminPort(0));
      assertThat(before).contains("jvm_memory_used_bytes").contains("vertx_http_server_");
      assertThat(value(before, "presence_sessions")).isZero();
      double opened = value(before, "presence_connections_opened_total");

      WebSocketClient client = clientVertx.createWebSocketClient();
      TestSession holder = TestSession.hello(client, port, "mia", "Mia");
      TestSession rival = TestSession.hello(client, port, "max", "mia");
      rival.awaitType("error");
      RawWebSocketClient resetter = RawWebSocketClient.connect("127.0.0.1", port, "/ws", WAIT);
      resetter.sendText(new JsonObject().put("type", "hello").put("user", "rex").encode());
      resetter.awaitType("welcome", WAIT);

      Awaitility.await("pings answered and leases renewed").atMost(WAIT).untilAsserted(() -> {
        String now = PresenceHttp.metrics(cluster.adminPort(0));
        assertThat(value(now, "presence_sessions")).isEqualTo(3);
        assertThat(value(now, "presence_connections_opened_total")).isEqualTo(opened + 3);
        assertThat(value(now, "presence_nick_claims_total{outcome=\"granted\"}")).isEqualTo(1);
        assertThat(value(now, "presence_nick_claims_total{outcome=\"taken\"}")).isEqualTo(1);
        assertThat(value(now, "presence_heartbeat_rtt_seconds_count")).isPositive();
        assertThat(value(now, "presence_lease_renewal_seconds_count")).isPositive();
      });

      resetter.resetAbruptly();
      holder.send(new JsonObject().put("type", "bye"));
      Awaitility.await("leaves counted").atMost(WAIT).untilAsserted(() -> {
        String now = PresenceHttp.metrics(cluster.adminPort(0));
        assertThat(value(now, "presence_sessions")).isEqualTo(1);
        assertThat(value(now, "presence_evictions_total{reason=\"reset\"}")).isEqualTo(1);
        assertThat(value(now, "presence_evictions_total{reason=\"bye\"}")).isEqualTo(1);
        assertThat(value(now, "presence_ghost_seconds_count")).isEqualTo(2);
      });
      assertThat(rival.isClosed()).isFalse();
    } finally {
      clientVertx.close();
    }
  }

  @Test
  void lease_renewal_costs_one_store_call_per_map_per_verticle_per_period_whatever_the_session_count()
      throws Exception {
    Vertx clientVertx = Vertx.vertx();
    // Timeout 1.5 s: the renewal period is 500 ms (timeout / 3).
    try (TestCluster cluster = TestCluster.start(1, new TestCluster.Timings(200, 1_500, 60_000, 5_000))) {
      int port = cluster.port(0);
      WebSocketClient client = clientVertx.createWebSocketClient();
      int sessions = 40;
      for (int i = 0; i < sessions; i++) {
        TestSession.hello(client, port, "batch-u" + i, "Batch" + i);
      }
      String first = PresenceHttp.metrics(cluster.adminPort(0));
      double presenceRenewals = value(first, RENEW_SESSIONS);
      double nicknameRenewals = value(first, RENEW_NICKNAMES);
      long started = System.nanoTime();

      Awaitility.await("a few renewal periods").atMost(WAIT)
          .until(() -> value(PresenceHttp.metrics(cluster.adminPort(0)), RENEW_SESSIONS) >= presenceRenewals + 6);

      String later = PresenceHttp.metrics(cluster.adminPort(0));
      double periods = (System.nanoTime() - started) / 1e9 / 0.5;
      int verticles = cluster.node(0).config().verticleInstances();
      double presenceCalls = value(later, RENEW_SESSIONS) - presenceRenewals;
      double nicknameCalls = value(later, RENEW_NICKNAMES) - nicknameRenewals;
      // One batch per verticle per period (+1 for a period boundary), far below one per session (40).
      assertThat(presenceCalls).isLessThanOrEqualTo(verticles * (periods + 1));
      assertThat(nicknameCalls).isLessThanOrEqualTo(verticles * (periods + 1));
      assertThat(value(later, "presence_store_operations_total{map=\"sessions\",operation=\"put\"}"))
          .isEqualTo(sessions);
      assertThat(value(later, "presence_store_operations_total{map=\"nicknames\",operation=\"claim\"}"))
          .isEqualTo(sessions);
    } finally {
      clientVertx.close();
    }
  }

  private static final String RENEW_SESSIONS =
      "presence_store_operations_total{map=\"sessions\",operation=\"renew_batch\"}";
  private static final String RENEW_NICKNAMES =
      "presence_store_operations_total{map=\"nicknames\",operation=\"renew_batch\"}";


  /** The value of one sample line, by its exact name and labels; 0 when absent. */
  private static double value(String scrape, String sample) {
    return scrape.lines().filter(line -> line.startsWith(sample + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
        .findFirst().orElse(0);
  }
}
