package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.PresenceHttp;
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

/** Two hundred users on two nodes claim one nickname at the same moment: exactly one gets it. */
class NickRaceIT {

  static final int CLIENTS = 200;
  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS);
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(CLIENTS));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void of_200_simultaneous_claims_on_two_nodes_exactly_one_wins_and_both_nodes_agree_on_the_holder() {
    List<Future<TestSession>> opening = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      opening.add(TestSession.open(client, cluster.port(i % 2)));
    }
    TestSession.await(Future.all(opening));
    List<TestSession> sessions = opening.stream().map(Future::result).toList();
    for (int i = 0; i < CLIENTS; i++) {
      sessions.get(i).send(new JsonObject().put("type", "hello").put("user", "racer-" + i));
    }
    sessions.forEach(s -> s.awaitType("welcome"));

    // Everyone asks at once, spelled differently: one key after NFKC + case folding.
    for (int i = 0; i < CLIENTS; i++) {
      sessions.get(i).send(new JsonObject().put("type", "nick").put("nick", i % 3 == 0 ? "RACER" : "Racer"));
    }
    Awaitility.await("every claim answered").atMost(Duration.ofSeconds(30)).until(() -> sessions.stream()
        .allMatch(s -> !s.ofType("nick.ok").isEmpty() || !s.ofType("error").isEmpty()));

    List<TestSession> winners = sessions.stream().filter(s -> !s.ofType("nick.ok").isEmpty()).toList();
    assertThat(winners).hasSize(1);
    assertThat(sessions.stream().filter(s -> !s.ofType("error").isEmpty())
        .map(s -> s.ofType("error").get(0).getString("code")))
        .hasSize(CLIENTS - 1)
        .containsOnly("nick_taken");

    String winner = winners.get(0).sessionId();
    for (int node = 0; node < 2; node++) {
      PresenceHttp.Response lease = PresenceHttp.nickname(cluster.adminPort(node), "racer");
      assertThat(lease.status()).isEqualTo(200);
      assertThat(lease.body().getString("session")).isEqualTo(winner);
      int port = cluster.adminPort(node);
      Awaitility.await("presence shows the holder on node " + node).atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(PresenceHttp.get(port, "/presence?limit=1000").body()
              .getJsonArray("sessions").stream().map(JsonObject.class::cast)
              .filter(e -> e.getString("nick") != null)
              .map(e -> e.getString("session")).toList()).containsExactly(winner));
    }
    assertThat(cluster.uncaught()).isEmpty();
  }
}
