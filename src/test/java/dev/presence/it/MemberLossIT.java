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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node process is killed with SIGKILL while it holds sessions with nicknames. The surviving node
 * evicts them on the member-removed event (not waiting for their 30 s TTLs), puts their nicknames into
 * grace for their users, and keeps its own sessions.
 */
class MemberLossIT {

  SurvivorAndProcess nodes;
  Vertx clientVertx;

  @AfterEach
  void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
    if (clientVertx != null) {
      clientVertx.close();
    }
  }

  @Test
  void kill_9_of_a_node_evicts_its_sessions_on_the_survivor_and_their_nicks_follow_the_grace_rule()
      throws Exception {
    TestCluster.Timings timings = TestCluster.Timings.DEFAULTS;
    nodes = SurvivorAndProcess.start(timings);
    NodeProcess doomed = nodes.process();
    int doomedPort = nodes.processPort();
    int survivorPort = nodes.survivorPort();
    PresenceNode survivor = nodes.survivor();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    TestSessionsAwait.consumer(survivor.runtime().vertx(), ClusterNames.EVENTS_ADDRESS, events);

    clientVertx = Vertx.vertx();
    WebSocketClient client = clientVertx.createWebSocketClient();
    List<String> doomedSessions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestSession s = TestSession.hello(client, doomedPort, "user-" + i, "Nick" + i);
      assertThat(s.awaitType("welcome").getString("nick")).isEqualTo("Nick" + i);
      doomedSessions.add(s.sessionId());
    }
    TestSession bystander = TestSession.hello(client, survivorPort, "bystander", "Stays");
    assertThat(PresenceHttp.sessions(nodes.survivorAdminPort())).containsAll(doomedSessions);

    long killedAt = System.currentTimeMillis();
    doomed.killHard();

    // Hazelcast's failure detector is tuned to 5 s without heartbeat (cluster-config); allow 5 s more.
    Awaitility.await("the dead node's sessions evicted on the survivor").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> PresenceHttp.sessions(nodes.survivorAdminPort()).stream().noneMatch(doomedSessions::contains));
    long evictedAfterMs = System.currentTimeMillis() - killedAt;
    assertThat(evictedAfterMs).isLessThan(timings.timeoutMs());
    Awaitility.await("leave events with reason node_lost").atMost(Duration.ofSeconds(5))
        .until(() -> events.stream().filter(e -> "leave".equals(e.getString("event"))
            && "node_lost".equals(e.getString("reason"))).count() == doomedSessions.size());
    for (int i = 0; i < 3; i++) {
      PresenceHttp.Response lease = PresenceHttp.nickname(nodes.survivorAdminPort(), "nick" + i);
      assertThat(lease.body().getString("state")).isEqualTo("grace");
      assertThat(lease.body().getString("user")).isEqualTo("user-" + i);
    }

    TestSession thief = TestSession.hello(client, survivorPort, "thief", "Nick0");
    assertThat(thief.awaitType("error").getString("code")).isEqualTo("nick_taken");
    TestSession returning = TestSession.hello(client, survivorPort, "user-0", "Nick0");
    assertThat(returning.awaitType("welcome").getString("nick")).isEqualTo("Nick0");

    // No false eviction: the survivor's own session stayed, nick and all.
    assertThat(bystander.isClosed()).isFalse();
    assertThat(PresenceHttp.sessions(nodes.survivorAdminPort())).contains(bystander.sessionId());
    assertThat(PresenceHttp.nickname(nodes.survivorAdminPort(), "stays").body().getString("session"))
        .isEqualTo(bystander.sessionId());
    System.out.printf("member loss: sessions evicted %d ms after kill -9%n", evictedAfterMs);
  }
}
