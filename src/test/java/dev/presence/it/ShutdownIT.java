package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.PresenceNode;
import dev.presence.cluster.ClusterNames;
import dev.presence.testing.NodeProcess;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.SurvivorAndProcess;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a node process: its clients get close 1001 (reconnect elsewhere), their nicknames stay
 * reserved for them, the survivor shows their leave with reason shutdown, and a client reconnecting to
 * the survivor gets its nickname back.
 */
class ShutdownIT {

  @Test
  void sigterm_closes_sessions_with_1001_and_their_users_get_their_nicks_back_on_the_other_node()
      throws Exception {
    Vertx clientVertx = Vertx.vertx();
    try (SurvivorAndProcess nodes = SurvivorAndProcess.start(TestCluster.Timings.DEFAULTS)) {
      NodeProcess stopping = nodes.process();
      PresenceNode survivor = nodes.survivor();
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      TestSessionsAwait.consumer(survivor.runtime().vertx(), ClusterNames.EVENTS_ADDRESS, events);
      WebSocketClient client = clientVertx.createWebSocketClient();
      TestSession leaving = TestSession.hello(client, stopping.httpPort(), "uma", "Umbrella");
      String session = leaving.sessionId();

      assertThat(stopping.terminate()).as("exit status; log: %s", Files.readString(stopping.log().toPath()))
          .isIn(0, 143);
      assertThat(leaving.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1001);
      int port = nodes.survivorPort();
      Awaitility.await("leave with reason shutdown").atMost(Duration.ofSeconds(10)).until(() -> events.stream()
          .anyMatch(e -> session.equals(e.getString("session")) && "shutdown".equals(e.getString("reason"))));
      assertThat(PresenceHttp.sessions(nodes.survivorAdminPort())).doesNotContain(session);
      assertThat(PresenceHttp.nickname(nodes.survivorAdminPort(), "umbrella").body().getString("state")).isEqualTo("grace");

      TestSession other = TestSession.hello(client, port, "victor", "Umbrella");
      assertThat(other.awaitType("error").getString("code")).isEqualTo("nick_taken");
      TestSession back = TestSession.hello(client, port, "uma", "Umbrella");
      assertThat(back.awaitType("welcome").getString("nick")).isEqualTo("Umbrella");
    } finally {
      clientVertx.close();
    }
  }

  @Test
  void every_client_of_a_draining_node_reconnects_elsewhere_with_its_nick_and_no_rival_ever_gets_one()
      throws Exception {
    int clients = 10;
    Vertx clientVertx = Vertx.vertx();
    try (SurvivorAndProcess nodes = SurvivorAndProcess.start(TestCluster.Timings.DEFAULTS)) {
      WebSocketClient client = clientVertx.createWebSocketClient(
          new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(100));
      List<TestSession> onStopping = new java.util.ArrayList<>();
      for (int i = 0; i < clients; i++) {
        onStopping.add(TestSession.hello(client, nodes.processPort(), "drain-user-" + i, "Drainer" + i));
      }
      // Rivals keep claiming those nicknames on the survivor for the whole drain.
      List<TestSession> rivals = new java.util.ArrayList<>();
      for (int i = 0; i < clients; i++) {
        rivals.add(TestSession.hello(client, nodes.survivorPort(), "rival-" + i, null));
      }
      java.util.concurrent.atomic.AtomicBoolean racing = new java.util.concurrent.atomic.AtomicBoolean(true);
      int[] sent = new int[clients];
      long timer = clientVertx.setPeriodic(20, id -> {
        for (int i = 0; i < clients && racing.get(); i++) {
          TestSession rival = rivals.get(i);
          // Like a real client: the next claim only once the previous one was answered.
          if (rival.ofType("error").size() + rival.ofType("nick.ok").size() >= sent[i]) {
            sent[i]++;
            rival.send(new JsonObject().put("type", "nick").put("nick", "drainer" + i));
          }
        }
      });

      nodes.process().terminate();
      List<TestSession> reconnected = new java.util.ArrayList<>();
      for (int i = 0; i < clients; i++) {
        assertThat(onStopping.get(i).awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1001);
        TestSession back = TestSession.hello(client, nodes.survivorPort(), "drain-user-" + i, "Drainer" + i);
        assertThat(back.awaitType("welcome").getString("nick")).as("client %d's nick", i).isEqualTo("Drainer" + i);
        reconnected.add(back);
      }
      racing.set(false);
      clientVertx.cancelTimer(timer);

      for (TestSession rival : rivals) {
        assertThat(rival.ofType("nick.ok")).as("a rival never got a drained client's nick").isEmpty();
        assertThat(rival.ofType("error")).isNotEmpty().allMatch(e -> "nick_taken".equals(e.getString("code")));
      }
      java.util.Set<String> expected = new java.util.HashSet<>();
      reconnected.forEach(s -> expected.add(s.sessionId()));
      rivals.forEach(s -> expected.add(s.sessionId()));
      Awaitility.await("survivor lists exactly the live sessions").atMost(Duration.ofSeconds(10))
          .until(() -> PresenceHttp.sessions(nodes.survivorAdminPort()).equals(expected));
    } finally {
      clientVertx.close();
    }
  }
}
