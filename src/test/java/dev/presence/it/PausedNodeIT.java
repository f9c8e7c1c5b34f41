package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.PresenceNode;
import dev.presence.config.PresenceConfig;
import dev.presence.testing.FreePorts;
import dev.presence.testing.NodeProcess;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
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

  private static final String PROCESS_PAUSED = "presence_event_loop_stalls_total{cause=\"process_paused\"}";
  private static final String LOOP_BUSY = "presence_event_loop_stalls_total{cause=\"loop_busy\"}";

  /**
   * The other half of telling a pause: a node whose event loops fall seconds behind while the process runs (more work
   * than CPU, as in the {@code rooms} load runs) is busy, not paused. It must not re-check every lease, three full
   * renewal batches that only add to the backlog, and its sessions stay.
   */
  @Test
  void a_node_whose_event_loops_fall_behind_while_the_process_runs_is_busy_not_paused() {
    // A 1 s ping: the heartbeat check runs every 500 ms, so a loop 2 s late has passed the pause threshold.
    try (TestCluster cluster = TestCluster.start(1, new TestCluster.Timings(1_000, 10_000, 20_000, 5_000))) {
      Vertx clientVertx = Vertx.vertx();
      try {
        TestSession session = TestSession.hello(clientVertx.createWebSocketClient(), cluster.port(0), "busy", "Busy");
        session.awaitType("welcome");
        // A pong answered: the heartbeat check has ticked (it sends the pings), so the next tick has one to be late from.
        Awaitility.await("a heartbeat round trip").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
            .until(() -> PresenceHttp.metric(cluster.adminPort(0), "presence_heartbeat_rtt_seconds_count") >= 1);
        // 300 tasks of 10 ms on every event loop: 3 s of backlog each, no single task long enough to be "blocked".
        for (EventExecutor loop : ((VertxInternal) cluster.node(0).runtime().vertx()).nettyEventLoopGroup()) {
          for (int i = 0; i < 300; i++) {
            loop.execute(() -> spin(10));
          }
        }
        Awaitility.await("a late heartbeat tick judged").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> PresenceHttp.metric(cluster.adminPort(0), LOOP_BUSY) >= 1);
        assertThat(PresenceHttp.metric(cluster.adminPort(0), PROCESS_PAUSED)).as("busy loops taken for a pause")
            .isZero();
        assertThat(session.isClosed()).isFalse();
        assertThat(PresenceHttp.sessions(cluster.adminPort(0))).contains(session.sessionId());
        session.send(new JsonObject().put("type", "bye"));
      } finally {
        clientVertx.close();
      }
    }
  }

  /** Keeps this thread on the CPU for {@code ms} milliseconds. */
  private static void spin(long ms) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

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
      // A survivor's paged query waits on the paused member until Hazelcast removes it, so a poll may time out (10 s)
      // before the eviction it waits for: a slow answer, not a wrong one (a CI run once failed on that timeout).
      Awaitility.await("survivors evict the paused node's session").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
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
      // The woken node took its standstill for what it was (which is what re-checked its leases at once); the
      // survivors, which ran throughout, saw no standstill of their own.
      NodeProcess woken = paused;
      Awaitility.await("the woken node counts a process pause").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200)).until(() -> PresenceHttp.metric(woken.adminPort(), PROCESS_PAUSED) >= 1);
      for (PresenceNode survivor : survivors) {
        assertThat(PresenceHttp.metric(survivor.adminPort(), PROCESS_PAUSED)).as("a survivor's process pauses")
            .isZero();
      }
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
