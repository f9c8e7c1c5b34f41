package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.config.ActivitySettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rich presence across two real nodes: a status (availability + meta) set on one node is seen on the other and
 * broadcast; a session that sends only heartbeats goes idle after the idle time and comes back with its next
 * application message; a user whose last session left is offline with a last-seen time.
 */
class RichPresenceIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final long IDLE_AFTER_MS = 1_500;

  static TestCluster cluster;
  static final List<JsonObject> events = new CopyOnWriteArrayList<>();
  static MessageConsumer<JsonObject> consumer;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(2, new TestCluster.Timings(1_000, 3_000, 3_000, 5_000),
        c -> c.with(new ActivitySettings(IDLE_AFTER_MS, 60_000)));
    consumer = cluster.node(1).runtime().vertx().eventBus().consumer("presence.events", m -> events.add(m.body()));
    consumer.completion().toCompletionStage().toCompletableFuture().get();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawWebSocketClient hello(int node, String user) throws IOException {
    RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(node), "/ws", WAIT);
    ws.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
    ws.awaitType("welcome", WAIT);
    return ws;
  }

  @Test
  void a_status_set_on_one_node_is_shown_and_broadcast_cluster_wide_and_bad_ones_are_refused() throws Exception {
    try (RawWebSocketClient alice = hello(0, "alice")) {
      alice.sendText("{\"type\":\"status\",\"status\":\"dnd\",\"meta\":{\"text\":\"in a meeting ☕\"}}");
      JsonObject ok = alice.awaitType("status.ok", WAIT);
      assertThat(ok.getString("status")).isEqualTo("dnd");

      JsonObject shown = PresenceHttp.get(cluster.adminPort(1), "/presence/users/alice").body();
      assertThat(shown.getBoolean("online")).isTrue();
      JsonObject session = shown.getJsonArray("sessions").getJsonObject(0);
      assertThat(session.getString("status")).isEqualTo("dnd");
      assertThat(session.getJsonObject("meta").getString("text")).isEqualTo("in a meeting ☕");
      assertThat(shown.getValue("lastSeen")).as("online: no last seen").isNull();
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> "status".equals(e.getString("event"))
          && "alice".equals(e.getString("user")) && "dnd".equals(e.getString("status"))));

      alice.sendText("{\"type\":\"status\",\"status\":\"busy\"}");
      assertThat(alice.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      alice.sendText(new JsonObject().put("type", "status").put("status", "away")
          .put("meta", new JsonObject().put("text", "x".repeat(1_100))).encode());
      assertThat(alice.awaitType("error", WAIT).getString("message")).contains("1024 bytes");
      alice.sendText("{\"type\":\"ping\",\"seq\":3}");
      assertThat(alice.awaitType("pong", WAIT).getInteger("seq")).as("the session goes on").isEqualTo(3);
    }
  }

  @Test
  void heartbeats_alone_make_a_session_idle_and_an_application_message_makes_it_active_again() throws Exception {
    try (RawWebSocketClient bob = hello(0, "bob")) {
      long joined = System.currentTimeMillis();
      // Heartbeats only (application ping and WebSocket pongs): they keep the session, not its activity.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
        bob.sendText("{\"type\":\"ping\"}");
        bob.awaitType("pong", WAIT);
        return idleEvent("bob", true) != null;
      });
      assertThat(idleEvent("bob", true).getLong("at") - joined).isGreaterThanOrEqualTo(IDLE_AFTER_MS);
      assertThat(PresenceHttp.get(cluster.adminPort(1), "/presence/users/bob").body().getJsonArray("sessions")
          .getJsonObject(0).getBoolean("idle")).isTrue();

      bob.sendText("{\"type\":\"who\"}");
      bob.awaitType("who", WAIT);
      await().atMost(WAIT).until(() -> idleEvent("bob", false) != null);
    }
  }

  @Test
  void a_user_whose_last_session_left_is_offline_with_a_last_seen_time() throws Exception {
    RawWebSocketClient carol = hello(0, "carol");
    RawWebSocketClient carolToo = hello(1, "carol");
    carol.sendText("{\"type\":\"bye\"}");
    carol.awaitClose(WAIT);
    assertThat(PresenceHttp.get(cluster.adminPort(1), "/presence/users/carol").body().getBoolean("online"))
        .as("one session left: still online").isTrue();

    long before = System.currentTimeMillis();
    carolToo.resetAbruptly();
    await().atMost(WAIT).until(() -> !PresenceHttp.get(cluster.adminPort(0), "/presence/users/carol").body()
        .getBoolean("online"));
    JsonObject offline = PresenceHttp.get(cluster.adminPort(0), "/presence/users/carol").body();
    assertThat(offline.getJsonArray("sessions")).isEmpty();
    assertThat(offline.getLong("lastSeen")).isBetween(before, System.currentTimeMillis());
    assertThat(PresenceHttp.get(cluster.adminPort(0), "/presence/users/nobody-ever").status()).isEqualTo(404);
  }

  private static JsonObject idleEvent(String user, boolean idle) {
    return events.stream().filter(e -> "status".equals(e.getString("event")) && user.equals(e.getString("user"))
        && Boolean.valueOf(idle).equals(e.getBoolean("idle"))).findFirst().orElse(null);
  }
}
