package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.LimitSettings;
import dev.presence.presence.SessionSlotStore;
import dev.presence.testing.ContextCalls;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user holds at most {@code PRESENCE_MAX_SESSIONS_PER_USER} sessions across the cluster (here 2): two real
 * nodes, real WebSocket clients. A third session on either node is refused ({@code session_limit}, close 1008)
 * and leaves no trace; a session that ends, cleanly or by a TCP reset, frees its slot at once.
 */
class SessionLimitIT {

  private static final int LIMIT = 2;
  /** Lease TTL of these timings: 3000 + 1000 + 250 + 1000 ms (PresenceConfig.leaseTtlMs). */
  private static final TestCluster.Timings TIMINGS = new TestCluster.Timings(500, 3_000, 3_000, 5_000);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx clientVertx;
  private WebSocketClient client;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
    LimitSettings generous = TestCluster.GENEROUS_LIMITS;
    cluster = TestCluster.start(2, TIMINGS, c -> c.with(c.auth(), new LimitSettings(generous.maxConnectionsPerIp(),
        LIMIT, generous.messagesPerSecond(), generous.messageBurst(), generous.rateLimitedBeforeClose())));
  }

  @AfterEach
  void stop() {
    cluster.close();
    clientVertx.close().await();
  }

  @Test
  void a_third_session_on_either_node_is_refused_while_the_two_stay_up_and_an_ended_one_frees_its_slot()
      throws Exception {
    TestSession onA = TestSession.hello(client, cluster.port(0), "alice", null);
    TestSession onB = TestSession.hello(client, cluster.port(1), "alice", null);
    long admittedAt = System.currentTimeMillis();
    long leaseTtlMs = cluster.node(0).config().leaseTtlMs();

    // Past the slots' first lease: they are still counted only because the nodes' batched renewal renews them.
    Awaitility.await("slots renewed past their first lease").atMost(WAIT).untilAsserted(() -> {
      long now = System.currentTimeMillis();
      assertThat(now).isGreaterThan(admittedAt + leaseTtlMs);
      assertThat(liveSlots("alice", now)).containsExactlyInAnyOrder(onA.sessionId(), onB.sessionId());
    });
    for (int node = 0; node < 2; node++) {
      assertRefused(node, "alice");
    }

    assertThat(PresenceHttp.sessions(cluster.adminPort(0))).as("no presence entry for the refused sessions")
        .containsExactlyInAnyOrder(onA.sessionId(), onB.sessionId());
    assertHeartbeating(onA, 1);
    assertHeartbeating(onB, 1);
    assertThat(PresenceHttp.metrics(cluster.adminPort(0)))
        .contains("presence_refusals_total{code=\"session_limit\"")
        .contains("presence_store_operations_total{map=\"session_slots\",operation=\"renew_batch\"");

    onA.send(new JsonObject().put("type", "bye"));
    assertThat(onA.awaitClose(WAIT)).isEqualTo((short) 1000);
    TestSession third = TestSession.hello(client, cluster.port(1), "alice", null);
    assertRefused(0, "alice");
    assertHeartbeating(onB, 2);
    third.send(new JsonObject().put("type", "bye"));
    assertThat(third.awaitClose(WAIT)).isEqualTo((short) 1000);

    // A client killed abruptly (TCP RST, no close frame): the node cleans up on close and frees the slot,
    // well before the heartbeat timeout or the slot's lease would.
    RawWebSocketClient killed = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    killed.sendText(new JsonObject().put("type", "hello").put("user", "alice").encode());
    String killedSession = killed.awaitType("welcome", WAIT).getString("session");
    assertRefused(1, "alice");
    long killedAt = System.currentTimeMillis();
    killed.resetAbruptly();

    Awaitility.await("slot of the reset session freed").atMost(WAIT).untilAsserted(
        () -> assertThat(liveSlots("alice", System.currentTimeMillis())).containsExactly(onB.sessionId()));
    assertThat(System.currentTimeMillis() - killedAt).as("freed by the close, not by a timeout")
        .isLessThan(TIMINGS.timeoutMs());
    TestSession afterReset = TestSession.hello(client, cluster.port(1), "alice", null);
    assertThat(afterReset.sessionId()).isNotEqualTo(killedSession);
    assertHeartbeating(onB, 3);
    assertThat(cluster.uncaught()).isEmpty();
  }

  /** Opens a session for {@code user} on node {@code node} and checks it is refused with session_limit + 1008. */
  private void assertRefused(int node, String user) throws Exception {
    try (RawWebSocketClient refused = RawWebSocketClient.connect("127.0.0.1", cluster.port(node), "/ws", WAIT)) {
      refused.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
      JsonObject error = refused.awaitType("error", WAIT);
      String expected = "user " + user + " already has " + LIMIT + " sessions (limit " + LIMIT + ")";
      assertThat(error.getString("code")).isEqualTo("session_limit");
      assertThat(error.getString("message")).isEqualTo(expected);
      RawWebSocketClient.CloseInfo close = refused.awaitClose(WAIT);
      assertThat(close.code()).isEqualTo(1008);
      assertThat(close.reason()).isEqualTo(expected);
    }
  }

  /** The session answers an application ping: still up. */
  private static void assertHeartbeating(TestSession session, int seq) {
    session.send(new JsonObject().put("type", "ping").put("seq", seq));
    assertThat(session.awaitNth("pong", seq).getInteger("seq")).isEqualTo(seq);
    assertThat(session.isClosed()).isFalse();
  }


  private Set<String> liveSlots(String user, long now) {
    SessionSlotStore slots = cluster.node(0).runtime().slotStore();
    return ContextCalls.call(cluster.node(0).runtime().vertx(), () -> slots.liveSessions(user, now));
  }
}
