package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.testing.MapWriteLog;
import dev.presence.testing.PresenceEventLog;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node is lost (its Hazelcast member terminated, as a crash looks to the others) while its sessions are in rooms:
 * the survivor's member-loss eviction ends them through the one end path, so each leaves its rooms once with the
 * reason {@code node_lost}, a room only they were in is vacated once, and the survivor's room view no longer lists
 * them.
 */
class RoomsMemberLossIT {

  static final Duration WAIT = Duration.ofSeconds(30);

  TestCluster cluster;
  Vertx clientVertx;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (clientVertx != null) {
      clientVertx.close();
    }
  }

  @Test
  void sessions_of_a_lost_node_leave_their_rooms_once_with_node_lost() {
    cluster = TestCluster.start(2, new TestCluster.Timings(500, 2_000, 3_000, 5_000));
    // A stable cluster: every partition has its backup on the other member before anything is written. A member
    // lost while partitions still migrate to a newcomer takes the entries of those partitions with it (one backup).
    await("partitions migrated and backed up").atMost(WAIT)
        .until(() -> MapWriteLog.hazelcastOf(cluster.node(1)).getPartitionService().isClusterSafe());
    clientVertx = Vertx.vertx();
    WebSocketClient client = clientVertx.createWebSocketClient();
    PresenceEventLog events = PresenceEventLog.subscribe(cluster.node(1).runtime().vertx());
    TestSession doomed = TestSession.hello(client, cluster.port(0), "doomed", null);
    TestSession survivor = TestSession.hello(client, cluster.port(1), "survivor", null);
    doomed.send(new JsonObject().put("type", "join").put("room", "#shared"));
    doomed.awaitType("joined");
    doomed.send(new JsonObject().put("type", "join").put("room", "#doomed-only"));
    doomed.awaitNth("joined", 2);
    survivor.send(new JsonObject().put("type", "join").put("room", "#shared"));
    survivor.awaitType("joined");

    MapWriteLog.hazelcastOf(cluster.node(0)).getLifecycleService().terminate();

    String gone = doomed.sessionId();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(events.roomStory("#doomed-only")).endsWith("room.leave " + gone + " node_lost", "room.vacated");
      assertThat(events.roomStory("#shared")).contains("room.leave " + gone + " node_lost");
    });
    JsonObject shared = PresenceHttp.get(cluster.adminPort(1), "/rooms/%23shared").body();
    assertThat(shared.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("session")))
        .containsExactly(survivor.sessionId());
    assertThat(shared.getInteger("sessions")).isEqualTo(1);
    await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> {
      assertThat(events.roomStory("#shared").stream().filter(e -> e.startsWith("room.leave"))).hasSize(1);
      assertThat(events.roomStory("#shared")).doesNotContain("room.vacated");
    });
  }
}
