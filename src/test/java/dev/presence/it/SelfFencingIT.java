package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.PresenceNode;
import dev.presence.config.PresenceConfig;
import dev.presence.testing.FreePorts;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Self-fencing and the take-back (docs/consistency.md, "A healed split"; protocol §12.2): a member of a cluster meant
 * to have three that is left alone cannot renew nickname leases (no quorum), so its clients are told {@code nick.lost}
 * for their global nickname and for each room nickname; once members return and the quorum with them, each nickname
 * nobody else won meanwhile is given back ({@code nick.restored}, with {@code room} for a room nickname), except one
 * the client moved on from (it left that room).
 */
class SelfFencingIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Short periods, so that renewals (and with them fencing and the take-back) come every 2 s. */
  private static final TestCluster.Timings FAST = new TestCluster.Timings(2_000, 6_000, 60_000, 5_000);

  @Test
  void a_member_left_alone_fences_global_and_room_nicknames_and_takes_them_back_when_the_quorum_returns()
      throws Exception {
    String name = "fence-" + UUID.randomUUID();
    List<Integer> hz = IntStream.range(0, 3).mapToObj(i -> FreePorts.next()).toList();
    String members = hz.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<PresenceNode> nodes = new ArrayList<>();
    Vertx clientVertx = Vertx.vertx();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(start(name, hz.get(i), members));
      }
      PresenceNode alone = nodes.get(0);
      Awaitility.await("three members").atMost(WAIT).until(() -> alone.runtime().clusterSize() == 3);
      WebSocketClient client = clientVertx.createWebSocketClient();
      TestSession ada = TestSession.hello(client, alone.config().httpPort(), "ada", "Ada");
      assertThat(ada.awaitType("welcome").getString("nick")).isEqualTo("Ada");
      ada.send(join("f:moon", "Moon"));
      assertThat(ada.awaitType("joined").getString("nick")).isEqualTo("Moon");
      ada.send(join("f:sun", "Sun"));
      assertThat(ada.awaitNth("joined", 2).getString("nick")).isEqualTo("Sun");

      for (PresenceNode node : nodes.subList(1, 3)) {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      Awaitility.await("every nickname told lost").atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(() -> lostRooms(ada).size() == 3);
      assertThat(lostRooms(ada)).containsEntry("", "Ada").containsEntry("f:moon", "Moon").containsEntry("f:sun", "Sun");
      assertThat(ada.isClosed()).as("self-fencing keeps the session").isFalse();
      // The client moves on in one room: that room nickname must not come back behind its back.
      ada.send(new JsonObject().put("type", "leave").put("room", "f:sun"));
      assertThat(ada.awaitType("left").getString("room")).isEqualTo("f:sun");

      nodes.set(1, start(name, hz.get(1), members));
      nodes.set(2, start(name, hz.get(2), members));
      Awaitility.await("the global and the kept room nickname given back").atMost(WAIT)
          .pollInterval(Duration.ofMillis(100)).until(() -> restoredRooms(ada).size() == 2);
      assertThat(restoredRooms(ada)).containsEntry("", "Ada").containsEntry("f:moon", "Moon");
      assertThat(ada.ofType("nick.restored")).allSatisfy(r -> assertThat(r.getLong("fencingToken")).isPositive());
      int admin = nodes.get(1).adminPort();
      Awaitility.await("the room lists the nickname again").atMost(WAIT).pollInterval(Duration.ofMillis(200))
          .until(() -> "Moon".equals(roomNicks(admin, "f:moon").get(ada.sessionId())));

      // Held again for real: another user is refused both, in the room and globally.
      TestSession bob = TestSession.hello(client, nodes.get(2).config().httpPort(), "bob", null);
      bob.send(join("f:moon", "Moon"));
      JsonObject refused = bob.awaitType("error");
      assertThat(refused.getString("code")).isEqualTo("nick_taken");
      assertThat(refused.getString("room")).isEqualTo("f:moon");
      bob.send(new JsonObject().put("type", "nick").put("nick", "Ada"));
      assertThat(bob.awaitNth("error", 2).getString("code")).isEqualTo("nick_taken");
      assertThat(ada.ofType("nick.restored")).hasSize(2);
      assertThat(ada.isClosed()).isFalse();
    } finally {
      clientVertx.close();
      for (PresenceNode node : nodes) {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static PresenceNode start(String name, int hzPort, String members) throws Exception {
    PresenceConfig config = TestCluster.config(name, FreePorts.next(), hzPort, members, FAST, 1_000, 3);
    return PresenceNode.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static JsonObject join(String room, String nick) {
    return new JsonObject().put("type", "join").put("room", room).put("nick", nick).put("watch", false);
  }

  /** @return room ("" for the global nickname) → nickname, of every {@code nick.lost} the session was told */
  private static Map<String, String> lostRooms(TestSession session) {
    return byRoom(session.ofType("nick.lost"));
  }

  /** @return room ("" for the global nickname) → nickname, of every {@code nick.restored} the session was told */
  private static Map<String, String> restoredRooms(TestSession session) {
    return byRoom(session.ofType("nick.restored"));
  }

  private static Map<String, String> byRoom(List<JsonObject> messages) {
    Map<String, String> byRoom = new TreeMap<>();
    messages.forEach(m -> byRoom.put(m.getString("room", ""), m.getString("nick")));
    return byRoom;
  }

  /** @return the room's members as the node on {@code admin} lists them: session → room nickname ("" for none) */
  private static Map<String, String> roomNicks(int admin, String room) {
    JsonObject body = PresenceHttp.get(admin, "/rooms/" + room).body();
    Map<String, String> nicks = new TreeMap<>();
    body.getJsonArray("members").forEach(o -> {
      JsonObject m = (JsonObject) o;
      nicks.put(m.getString("session"), m.getString("roomNick") == null ? "" : m.getString("roomNick"));
    });
    return nicks;
  }
}
