package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.PresenceNode;
import dev.presence.config.ClusterSettings;
import dev.presence.testing.ErrorLogRecorder;
import dev.presence.testing.FreePorts;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Split-brain protection: a member that sees fewer than a majority of the expected cluster is a minority
 * side. It answers nick_unavailable instead of granting a nickname, while presence stays available.
 */
class QuorumIT {

  @Test
  void a_lone_member_of_an_expected_three_refuses_nicknames_but_keeps_presence_working() throws Exception {
    int hz = FreePorts.next();
    var config = TestCluster.config("quorum-" + UUID.randomUUID(), FreePorts.next(), hz, "127.0.0.1:" + hz,
        TestCluster.Timings.DEFAULTS, 1_000, 3);
    PresenceNode node = PresenceNode.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Vertx clientVertx = Vertx.vertx();
    try {
      WebSocketClient client = clientVertx.createWebSocketClient();
      TestSession withNick = TestSession.hello(client, config.httpPort(), "quinn", "Quinn");
      assertThat(withNick.awaitType("welcome").getValue("nick")).isNull();
      assertThat(withNick.awaitType("error").getString("code")).isEqualTo("nick_unavailable");

      withNick.send(new JsonObject().put("type", "nick").put("nick", "Quinn"));
      assertThat(withNick.awaitNth("error", 2).getString("code")).isEqualTo("nick_unavailable");

      // Presence (who is online) stays available on the minority side.
      withNick.send(new JsonObject().put("type", "who"));
      assertThat(withNick.awaitType("who").getJsonArray("sessions")).hasSize(1);
      assertThat(PresenceHttp.sessions(node.adminPort())).containsExactly(withNick.sessionId());
      assertThat(PresenceHttp.nickname(node.adminPort(), "quinn").status()).isEqualTo(503);
      assertThat(withNick.isClosed()).isFalse();
    } finally {
      clientVertx.close();
      node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_cluster_grown_past_its_configured_size_refuses_nicknames_and_says_why_until_it_shrinks() throws Exception {
    ErrorLogRecorder.clear();
    try (TestCluster cluster = TestCluster.start(3, TestCluster.Timings.DEFAULTS, c -> c.with(sizedTwo(c.cluster())))) {
      Vertx clientVertx = Vertx.vertx();
      try {
        WebSocketClient client = clientVertx.createWebSocketClient();
        TestSession ada = TestSession.hello(client, cluster.port(0), "ada", "Ada");
        assertThat(ada.awaitType("error").getString("code")).isEqualTo("nick_unavailable");
        assertThat(ErrorLogRecorder.errors()).anySatisfy(line -> assertThat(line)
            .contains("more than PRESENCE_CLUSTER_SIZE=2"));

        cluster.node(2).stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Awaitility.await("nicknames granted again at two members").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
              TestSession bo = TestSession.hello(client, cluster.port(1), "bo-" + UUID.randomUUID(), "Bo");
              JsonObject welcome = bo.awaitType("welcome");
              bo.socket().close();
              assertThat(welcome.getString("nick")).isEqualTo("Bo");
            });
      } finally {
        clientVertx.close();
      }
    }
  }

  /** The same settings, with a cluster meant to have at most two members (quorum 2). */
  private static ClusterSettings sizedTwo(ClusterSettings c) {
    return new ClusterSettings(c.mode(), 2, c.name(), c.hazelcastPort(), c.members(), c.hazelcastConfig(), c.host(),
        c.eventBusPort(), c.kubernetesDiscovery(), c.kubernetesServiceDns(), c.kubernetesServiceName(),
        c.kubernetesNamespace(), c.eventBusTls());
  }
}
