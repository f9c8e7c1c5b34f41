package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.PresenceNode;
import dev.presence.config.PresenceConfig;
import dev.presence.testing.FreePorts;
import dev.presence.testing.NodeProcess;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The stale owner: a node is paused (SIGSTOP) for longer than the failure detector's timeout, the other
 * members evict its sessions and hand its nickname on (here to the same user, the only one allowed during
 * grace); then it wakes (SIGCONT) believing it still owns them. Its client, alive all along, must be told
 * {@code nick.lost} (its newer session holds the nickname now) and keeps its session (re-asserted, not closed);
 * after the merge every node agrees on one holder and lists both sessions.
 */
class PausedNodeIT {

  @Test
  void a_paused_node_wakes_up_fenced_its_live_client_is_told_and_kept_and_the_cluster_agrees_on_one_holder() throws Exception {
    String name = "pause-" + UUID.randomUUID();
    int[] hz = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    TestCluster.Timings timings = TestCluster.Timings.DEFAULTS;
    List<PresenceNode> survivors = new ArrayList<>();
    Vertx clientVertx = Vertx.vertx();
    NodeProcess paused = null;
    try {
      for (int i = 0; i < 2; i++) {
        PresenceConfig config = TestCluster.config(name, FreePorts.next(), hz[i], members, timings, 1_000, 3);
        survivors.add(PresenceNode.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
      }
      PresenceConfig pausedConfig = TestCluster.config(name, FreePorts.next(), hz[2], members, timings, 1_000, 3);
      paused = NodeProcess.start(pausedConfig, 3);
      int survivorPort = survivors.get(0).config().httpPort();
      int survivorAdmin = survivors.get(0).adminPort();
      WebSocketClient client = clientVertx.createWebSocketClient();
      // Healthy bystanders on both survivors: the woken node sees them as "lost"; they must not be evicted.
      List<TestSession> bystanders = List.of(
          TestSession.hello(client, survivors.get(0).config().httpPort(), "bea", "Bea"),
          TestSession.hello(client, survivors.get(1).config().httpPort(), "ben", "Ben"));
      TestSession stale = TestSession.hello(client, paused.httpPort(), "petra", "Pax");
      assertThat(stale.awaitType("welcome").getString("nick")).isEqualTo("Pax");
      String staleSession = stale.sessionId();

      paused.pause();
      Awaitility.await("survivors evict the paused node's session").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !PresenceHttp.sessions(survivorAdmin).contains(staleSession));
      assertThat(PresenceHttp.nickname(survivorAdmin, "pax").body().getString("state")).isEqualTo("grace");
      TestSession rival = TestSession.hello(client, survivorPort, "rolf", "Pax");
      assertThat(rival.awaitType("error").getString("code")).isEqualTo("nick_taken");
      TestSession fresh = TestSession.hello(client, survivorPort, "petra", "Pax");
      assertThat(fresh.awaitType("welcome").getString("nick")).isEqualTo("Pax");

      paused.resume();
      // The woken node must not let its client go on believing it holds the nickname: the same user's newer
      // session holds it now, so nick.lost. The client itself is alive (it answered pings within the timeout):
      // its session is re-asserted, not closed (a healed split closes no live session).
      Awaitility.await("the stale client is told").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !stale.ofType("nick.lost").isEmpty());
      NodeProcess woken = paused;
      Awaitility.await("the woken node merges back").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).until(() -> woken.clusterSize() == 3);
      for (int port : new int[] {survivorAdmin, survivors.get(1).adminPort(), woken.adminPort()}) {
        Awaitility.await("one holder seen from port " + port).atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
              PresenceHttp.Response lease = PresenceHttp.nickname(port, "pax");
              assertThat(lease.status()).isEqualTo(200);
              assertThat(lease.body().getString("session")).isEqualTo(fresh.sessionId());
              assertThat(PresenceHttp.sessions(port)).contains(staleSession, fresh.sessionId());
            });
      }
      assertThat(stale.isClosed()).as("the live client of the woken node was closed").isFalse();
      assertThat(rival.ofType("nick.ok")).isEmpty();
      assertThat(fresh.isClosed()).isFalse();
      assertThat(fresh.ofType("nick.lost")).isEmpty();
      for (TestSession bystander : bystanders) {
        assertThat(bystander.isClosed()).as("a healthy bystander was evicted").isFalse();
        assertThat(bystander.ofType("nick.lost")).as("a healthy bystander lost its nick").isEmpty();
        assertThat(PresenceHttp.sessions(survivorAdmin)).contains(bystander.sessionId());
      }
    } finally {
      if (paused != null) {
        paused.resume();
        try {
          // SIGTERM: a graceful stop closes its connections (a SIGKILL here reset the survivors' event-bus
          // connections, which Vert.x logs at ERROR, noise that hid real errors in a green build).
          paused.terminate();
        } finally {
          paused.close();
        }
      }
      clientVertx.close();
      for (PresenceNode node : survivors) {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
