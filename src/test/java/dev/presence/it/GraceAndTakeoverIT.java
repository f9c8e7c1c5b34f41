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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grace period keeps a dropped user's nickname for that user only, and a newer session of the same
 * user takes its nickname over at once, evicting the older session wherever it lives.
 */
class GraceAndTakeoverIT {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final long GRACE_MS = 3_000;
  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    // Grace must be at least the heartbeat timeout (docs/consistency.md): short both, to cross them here.
    cluster = TestCluster.start(2, new TestCluster.Timings(500, 2_500, GRACE_MS, 5_000));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void another_user_cannot_claim_a_nick_in_grace_the_same_user_can_at_once_and_after_grace_it_is_free()
      throws Exception {
    RawWebSocketClient dropped = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    dropped.sendText("{\"type\":\"hello\",\"user\":\"phoebe\",\"nick\":\"Phoenix\"}");
    dropped.awaitType("welcome", WAIT);
    dropped.resetAbruptly();
    Awaitility.await().atMost(WAIT)
        .until(() -> "grace".equals(PresenceHttp.nickname(cluster.adminPort(1), "phoenix").body().getString("state")));

    TestSession other = TestSession.hello(client, cluster.port(1), "oscar", "PHOENIX");
    assertThat(other.awaitType("error").getString("code")).isEqualTo("nick_taken");

    TestSession back = TestSession.hello(client, cluster.port(1), "phoebe", "phoenix");
    assertThat(back.awaitType("welcome").getString("nick")).isEqualTo("phoenix");
    assertThat(PresenceHttp.nickname(cluster.adminPort(0), "phoenix").body().getString("session"))
        .isEqualTo(back.sessionId());

    // Dropped again; this time the user does not come back: after the grace period anyone may claim it.
    back.socket().close((short) 1001, "tab closed");
    Awaitility.await().atMost(WAIT)
        .until(() -> "grace".equals(PresenceHttp.nickname(cluster.adminPort(0), "phoenix").body().getString("state")));
    other.send(new JsonObject().put("type", "nick").put("nick", "Phoenix"));
    assertThat(other.awaitNth("error", 2).getString("code")).isEqualTo("nick_taken");
    long graceEnds = PresenceHttp.nickname(cluster.adminPort(0), "phoenix").body().getLong("expiresAt");
    Awaitility.await("grace over").atMost(Duration.ofMillis(GRACE_MS + 5_000))
        .until(() -> System.currentTimeMillis() > graceEnds);
    other.send(new JsonObject().put("type", "nick").put("nick", "Phoenix"));
    assertThat(other.awaitType("nick.ok").getString("nick")).isEqualTo("Phoenix");
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "phoenix").body().getString("user")).isEqualTo("oscar");
  }

  @Test
  void a_newer_session_of_the_same_user_takes_the_nick_over_and_the_old_session_is_closed_with_4001() {
    TestSession old = TestSession.hello(client, cluster.port(0), "gina", "Ghost");
    String oldSession = old.sessionId();
    TestSession rival = TestSession.hello(client, cluster.port(1), "ravi", "ghost");
    assertThat(rival.awaitType("error").getString("code")).isEqualTo("nick_taken");

    TestSession fresh = TestSession.hello(client, cluster.port(1), "gina", "GHOST");
    assertThat(fresh.awaitType("welcome").getString("nick")).isEqualTo("GHOST");
    Awaitility.await("old session closed").atMost(WAIT).until(old::isClosed);
    assertThat(old.socket().closeStatusCode()).isEqualTo((short) 4001);
    Awaitility.await().atMost(WAIT).until(() -> !PresenceHttp.sessions(cluster.adminPort(1)).contains(oldSession));
    assertThat(PresenceHttp.get(cluster.adminPort(0), "/presence/users/gina").body().getJsonArray("sessions"))
        .hasSize(1);
    assertThat(PresenceHttp.nickname(cluster.adminPort(0), "ghost").body().getString("session"))
        .isEqualTo(fresh.sessionId());
  }

  @Test
  void a_silent_ghost_session_is_evicted_by_a_takeover_without_waiting_for_its_heartbeat_timeout()
      throws Exception {
    RawWebSocketClient ghost = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    ghost.sendText("{\"type\":\"hello\",\"user\":\"hana\",\"nick\":\"Hanami\"}");
    String ghostSession = ghost.awaitType("welcome", WAIT).getString("session");
    ghost.autoPong(false); // from here on it reads nothing and answers nothing

    long claimed = System.currentTimeMillis();
    TestSession fresh = TestSession.hello(client, cluster.port(1), "hana", "Hanami");
    assertThat(fresh.awaitType("welcome").getString("nick")).isEqualTo("Hanami");
    Awaitility.await("ghost gone").atMost(WAIT)
        .until(() -> !PresenceHttp.sessions(cluster.adminPort(1)).contains(ghostSession));
    assertThat(System.currentTimeMillis() - claimed).isLessThan(30_000);
    assertThat(ghost.awaitClose(WAIT).code()).isEqualTo(4001);
    ghost.close();
    assertThat(cluster.uncaught()).isEmpty();
  }

  @Test
  void an_eviction_request_from_another_node_closes_the_session_with_4002_and_cannot_free_its_nick() {
    TestSession target = TestSession.hello(client, cluster.port(0), "erin", "Erin");
    String session = target.sessionId();
    // Another Vert.x node in the cluster asks for an eviction, claiming the client said bye.
    cluster.node(1).runtime().vertx().eventBus().publish(dev.presence.cluster.ClusterNames.EVICT_ADDRESS,
        new JsonObject().put("session", session).put("reason", "bye"));
    Awaitility.await("evicted").atMost(WAIT).until(target::isClosed);
    assertThat(target.socket().closeStatusCode()).isEqualTo((short) 4002);
    Awaitility.await().atMost(WAIT).until(() -> !PresenceHttp.sessions(cluster.adminPort(1)).contains(session));
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "erin").body().getString("state")).isEqualTo("grace");
  }
}
