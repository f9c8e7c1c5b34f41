package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resume onto the same event loop (one WebSocket verticle instance, so every connection shares one registry): a
 * resume never orphans a connection. Before the registry was compare-and-set, a resume attempt for a session whose
 * old connection was still registered overwrote it and, when the cluster said "not held", removed it by key: the old
 * connection was then never pinged, never renewed and unreachable by kicks, a leaked socket.
 */
class ResumeSameLoopIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final String SERVICE_TOKEN = "resume-same-loop-it-service-credential-0123";

  static TestCluster cluster;

  @BeforeAll
  static void start() {
    AuthSettings devWithService = new AuthSettings(AuthMode.NONE, null, null, "RS256", null, null, "roles", List.of(),
        false, SERVICE_TOKEN);
    cluster = TestCluster.start(1, new TestCluster.Timings(500, 1_500, 3_000, 5_000),
        c -> c.with(devWithService, c.limits()).withVerticleInstances(1));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawWebSocketClient connect() throws IOException {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
  }

  static int kick(String session) throws Exception {
    return cluster.node(0).runtime().vertx().eventBus()
        .<JsonObject>request("presence.kick", new JsonObject().put("session", session),
            new DeliveryOptions().addHeader("authorization", "Service " + SERVICE_TOKEN))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body().getInteger("kicked");
  }

  @Test
  void a_resume_while_the_old_connection_is_silent_leaves_it_to_the_heartbeat_which_closes_it() throws Exception {
    RawWebSocketClient old = connect();
    old.sendText("{\"type\":\"hello\",\"user\":\"alice\",\"resumable\":true}");
    JsonObject welcome = old.awaitType("welcome", WAIT);
    String session = welcome.getString("session");
    old.autoPong(false); // from now on silent: a half-open connection the server has not noticed yet

    try (RawWebSocketClient fresh = connect()) {
      fresh.sendText(new JsonObject().put("type", "hello").put("user", "alice")
          .put("resume", welcome.getString("resume")).encode());
      JsonObject second = fresh.awaitType("welcome", WAIT);
      assertThat(second.getString("session")).as("the old session is not held: a new one").isNotEqualTo(session);
      assertThat(fresh.awaitType("error", WAIT).getString("code")).isEqualTo("resume_failed");

      // The old connection is still owned: pinged, found silent, closed, its session ended. Nothing leaks. (The new
      // client keeps talking meanwhile: a raw client answers the server's pings only while it reads.)
      await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
        fresh.sendText("{\"type\":\"ping\",\"seq\":1}");
        fresh.awaitType("pong", WAIT);
        return !PresenceHttp.sessions(cluster.adminPort(0)).contains(session);
      });
      assertThat(old.awaitClose(WAIT).code()).isEqualTo(4000);
      assertThat(cluster.node(0).localSessions()).isEqualTo(1);
      assertThat(PresenceHttp.sessions(cluster.adminPort(0))).containsExactly(second.getString("session"));
      fresh.sendText("{\"type\":\"bye\"}");
      fresh.awaitClose(WAIT);
    }
    await().atMost(WAIT).until(() -> cluster.node(0).localSessions() == 0);
  }

  @Test
  void a_resume_while_the_old_connection_is_open_keeps_it_reachable_by_a_kick() throws Exception {
    try (RawWebSocketClient old = connect(); RawWebSocketClient fresh = connect()) {
      old.sendText("{\"type\":\"hello\",\"user\":\"bob\",\"resumable\":true}");
      JsonObject welcome = old.awaitType("welcome", WAIT);
      String session = welcome.getString("session");

      fresh.sendText(new JsonObject().put("type", "hello").put("user", "bob")
          .put("resume", welcome.getString("resume")).encode());
      String second = fresh.awaitType("welcome", WAIT).getString("session");
      assertThat(second).isNotEqualTo(session);
      assertThat(cluster.node(0).localSessions()).isEqualTo(2);

      assertThat(kick(session)).isEqualTo(1);
      assertThat(old.awaitClose(WAIT).code()).as("the kick reached the old connection").isEqualTo(4004);
      await().atMost(WAIT).until(() -> cluster.node(0).localSessions() == 1);
      fresh.sendText("{\"type\":\"ping\",\"seq\":7}");
      assertThat(fresh.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(7);
    }
  }

  @Test
  void a_session_reset_and_resumed_on_the_same_loop_is_registered_once_and_ends_once() throws Exception {
    RawWebSocketClient old = connect();
    old.sendText("{\"type\":\"hello\",\"user\":\"carol\",\"resumable\":true}");
    JsonObject welcome = old.awaitType("welcome", WAIT);
    String session = welcome.getString("session");
    old.resetAbruptly();
    await().atMost(WAIT).until(() -> PresenceHttp.get(cluster.adminPort(0), "/presence/users/carol").body()
        .getJsonArray("sessions").getJsonObject(0).getBoolean("suspect"));

    try (RawWebSocketClient fresh = connect()) {
      fresh.sendText(new JsonObject().put("type", "hello").put("user", "carol")
          .put("resume", welcome.getString("resume")).encode());
      JsonObject resumed = fresh.awaitType("welcome", WAIT);
      assertThat(resumed.getBoolean("resumed")).isTrue();
      assertThat(resumed.getString("session")).isEqualTo(session);
      assertThat(cluster.node(0).localSessions()).isEqualTo(1);

      assertThat(kick(session)).isEqualTo(1);
      assertThat(fresh.awaitClose(WAIT).code()).isEqualTo(4004);
    }
    await().atMost(WAIT).until(() -> cluster.node(0).localSessions() == 0);
    assertThat(PresenceHttp.sessions(cluster.adminPort(0))).doesNotContain(session);
  }
}
