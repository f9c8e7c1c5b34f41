package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.room.RoomNicknames;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.WatchedRoom;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Room nicknames (docs/protocol.md §12.2) on a two-node cluster with real WebSocket clients: unique within a room
 * (NFKC casefold, as global nicknames), independent of other rooms and of the global nickname, freed at once by a
 * leave or a kick, kept in grace for their user after an abnormal end, and told lost ({@code nick.lost} with the
 * room) when their lease is found gone. Grace is 3 s here. Each test uses rooms of its own.
 */
class RoomNicknameIT {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String SERVICE_TOKEN = "room-nickname-it-service-credential-0123456789";

  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new TestCluster.Timings(500, 2_000, 3_000, 5_000),
        config -> config.with(new AuthSettings(AuthMode.NONE, null, null, "RS256", null, null, "roles", List.of(),
            false, SERVICE_TOKEN), config.limits()));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  static JsonObject join(String room, String nick) {
    JsonObject join = new JsonObject().put("type", "join").put("room", room);
    return nick == null ? join : join.put("nick", nick);
  }

  /** The room's members as the cluster lists them: session → room nickname ("" for none). */
  static java.util.Map<String, String> roomNicks(String room) {
    JsonObject body = PresenceHttp.get(cluster.adminPort(1), "/rooms/" + room.replace("#", "%23")).body();
    java.util.Map<String, String> nicks = new java.util.TreeMap<>();
    body.getJsonArray("members").forEach(o -> {
      JsonObject m = (JsonObject) o;
      nicks.put(m.getString("session"), m.getString("roomNick") == null ? "" : m.getString("roomNick"));
    });
    return nicks;
  }

  @Test
  void a_room_nickname_is_unique_in_its_room_only_and_independent_of_the_global_one() {
    TestSession alice = TestSession.hello(client, cluster.port(0), "alice", "Star");
    alice.send(join("n:a", "Star"));
    JsonObject joined = alice.awaitType("joined");
    assertThat(joined.getString("nick")).as("the global Star is alice's, the room's is a name of its own")
        .isEqualTo("Star");
    assertThat(joined.getLong("fencingToken")).isPositive();

    TestSession bob = TestSession.hello(client, cluster.port(1), "bob", null);
    bob.send(join("n:a", "ＳＴＡＲ"));
    JsonObject taken = bob.awaitType("error");
    assertThat(taken.getString("code")).isEqualTo("nick_taken");
    assertThat(taken.getString("room")).isEqualTo("n:a");
    assertThat(roomNicks("n:a")).as("a refused nickname joins nothing").containsOnlyKeys(alice.sessionId());

    bob.send(join("n:b", "Star"));
    assertThat(bob.awaitType("joined").getString("nick")).as("another room, the same name").isEqualTo("Star");
    bob.send(join("n:a", null));
    assertThat(bob.awaitNth("joined", 2).getString("nick")).isNull();
    bob.send(new JsonObject().put("type", "nick").put("nick", "star").put("room", "n:a"));
    assertThat(bob.awaitNth("error", 2).getString("code")).isEqualTo("nick_taken");
    bob.send(new JsonObject().put("type", "nick").put("nick", "Nova").put("room", "n:a"));
    JsonObject ok = bob.awaitType("nick.ok");
    assertThat(ok.getString("room")).isEqualTo("n:a");
    assertThat(ok.getString("nick")).isEqualTo("Nova");
    bob.send(new JsonObject().put("type", "nick").put("nick", "Nova").put("room", "n:zzz"));
    assertThat(bob.awaitNth("error", 3).getString("code")).isEqualTo("not_in_room");

    assertThat(roomNicks("n:a")).containsEntry(alice.sessionId(), "Star").containsEntry(bob.sessionId(), "Nova");
    // alice watches n:a (join watches by default): bob's room nickname reaches her view.
    await().atMost(WAIT).untilAsserted(() -> assertThat(WatchedRoom.of(alice.received(), "n:a").members()
        .get(bob.sessionId()).getString("roomNick")).isEqualTo("Nova"));
    Stream.of(alice, bob).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_leave_or_a_kick_frees_the_room_nickname_and_an_abnormal_end_keeps_it_for_its_user() throws Exception {
    TestSession carol = TestSession.hello(client, cluster.port(0), "carol", null);
    carol.send(join("n:c", "Moon"));
    carol.awaitType("joined");
    carol.send(new JsonObject().put("type", "leave").put("room", "n:c"));
    carol.awaitType("left");
    TestSession erin = TestSession.hello(client, cluster.port(1), "erin", null);
    erin.send(join("n:c", "Moon"));
    assertThat(erin.awaitType("joined").getString("nick")).as("freed by the leave at once").isEqualTo("Moon");

    JsonObject kicked = cluster.node(0).runtime().vertx().eventBus().<JsonObject>request("presence.kick",
        new JsonObject().put("room", "n:c").put("session", erin.sessionId()),
        new DeliveryOptions().addHeader("authorization", "Service " + SERVICE_TOKEN))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    assertThat(kicked.getInteger("kicked")).isEqualTo(1);
    erin.awaitType("left");

    RawWebSocketClient dave = RawWebSocketClient.connect("127.0.0.1", cluster.port(1), "/ws", WAIT);
    dave.sendText(new JsonObject().put("type", "hello").put("user", "dave").encode());
    dave.awaitType("welcome", WAIT);
    dave.sendText(join("n:c", "Moon").encode());
    assertThat(dave.awaitType("joined", WAIT).getString("nick")).as("freed by the kick").isEqualTo("Moon");
    dave.resetAbruptly();

    // In grace: refused to another user while dave's end is known, granted to dave again.
    await().atMost(WAIT).untilAsserted(() -> assertThat(roomNicks("n:c")).isEmpty());
    erin.send(join("n:c", "moon"));
    assertThat(erin.awaitType("error").getString("code")).isEqualTo("nick_taken");
    TestSession daveAgain = TestSession.hello(client, cluster.port(0), "dave", null);
    daveAgain.send(join("n:c", "Moon"));
    assertThat(daveAgain.awaitType("joined").getString("nick")).isEqualTo("Moon");
    Stream.of(carol, erin, daveAgain).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_room_nickname_whose_lease_is_gone_is_told_lost_with_its_room() {
    TestSession frank = TestSession.hello(client, cluster.port(0), "frank", null);
    frank.send(join("n:d", "Sun"));
    frank.awaitType("joined");

    // Behind the session's back, as an expiry during a split would: the lease is gone.
    String key = RoomNicknames.leaseKey("n:d", ((NicknameCheck.Valid) NicknameRules.check("Sun")).key());
    assertThat(TestSession.await(cluster.node(1).runtime().nicknameStore().release(key, frank.sessionId(),
        System.currentTimeMillis()))).isTrue();

    JsonObject lost = frank.awaitType("nick.lost");
    assertThat(lost.getString("room")).isEqualTo("n:d");
    assertThat(lost.getString("nick")).isEqualTo("Sun");
    await().atMost(WAIT).untilAsserted(() -> assertThat(roomNicks("n:d")).containsEntry(frank.sessionId(), ""));
    await().atMost(WAIT).untilAsserted(() -> assertThat(WatchedRoom.of(frank.received(), "n:d").members()
        .get(frank.sessionId()).getString("roomNick")).isNull());
    frank.send(new JsonObject().put("type", "bye"));
  }
}
