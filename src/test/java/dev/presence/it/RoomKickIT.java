package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.api.PresenceApiException;
import dev.presence.api.PresenceClient;
import dev.presence.config.AuthSettings;
import dev.presence.testing.PresenceEventLog;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kicking from a room (issue #13; docs/event-bus.md {@code presence.kick} with {@code room}, docs/protocol.md §12) on
 * a real two-node cluster in JWT mode, with real WebSocket clients and {@link PresenceClient} as a lite-member
 * application would use it: a user kicked from a room on both nodes is told {@code left} with reason {@code kicked} on
 * each session, stays connected and in its other rooms, and is gone from the room's view; {@code presence.events}
 * carries one {@code room.leave} {@code kicked} per membership and one {@code room.vacated}; a kick by session takes
 * that session only, and a session not in the room is kicked from nothing; a user token may kick its own session
 * from a room but not another user's (403, nothing removed). Each test uses rooms and users of its own.
 */
class RoomKickIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestCluster cluster;
  private static Vertx clientVertx;
  private static WebSocketClient client;
  private static PresenceEventLog events;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS,
        c -> c.with(AuthSettings.hs256(Tokens.SECRET, Tokens.ISSUER, Tokens.AUDIENCE), TestCluster.GENEROUS_LIMITS));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(20));
    events = PresenceEventLog.subscribe(cluster.node(0).runtime().vertx());
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void a_user_kicked_from_a_room_leaves_it_on_both_nodes_and_stays_connected() {
    TestSession onA = hello(0, "alice");
    TestSession onB = hello(1, "alice");
    for (TestSession s : List.of(onA, onB)) {
      join(s, "#lobby", 1);
      join(s, "#stay", 2);
    }
    double kickedBefore = roomLeavesKicked();

    PresenceClient.KickResult result = TestSession.await(admin(1).kickUserFromRoom("#lobby", "alice", "off topic"));

    assertThat(result.kicked()).isEqualTo(2);
    assertThat(result.sessions()).containsExactlyInAnyOrder(onA.sessionId(), onB.sessionId());
    for (TestSession s : List.of(onA, onB)) {
      assertThat(s.awaitType("left")).as("told on its own node").isEqualTo(new JsonObject().put("type", "left")
          .put("room", "#lobby").put("reason", "kicked").put("detail", "off topic"));
      ping(s, 1);
    }
    JsonObject lobby = room(1, "#lobby");
    assertThat(lobby.getInteger("sessions")).isZero();
    assertThat(lobby.getJsonArray("members")).isEmpty();
    assertThat(members(room(0, "#stay"))).as("other rooms are kept")
        .containsExactlyInAnyOrder(onA.sessionId(), onB.sessionId());
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.roomStory("#lobby")).containsExactlyInAnyOrder(
        "room.occupied", "room.join " + onA.sessionId(), "room.join " + onB.sessionId(),
        "room.leave " + onA.sessionId() + " kicked", "room.leave " + onB.sessionId() + " kicked", "room.vacated"));
    assertThat(roomLeavesKicked() - kickedBefore).as("presence_room_leaves_total{reason=kicked}, both nodes")
        .isEqualTo(2);
    // Nothing more: no second room.leave or room.vacated, no second left, no close.
    await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).untilAsserted(() -> {
      assertThat(events.roomStory("#lobby")).hasSize(6);
      assertThat(onA.ofType("left")).hasSize(1);
      assertThat(onB.ofType("left")).hasSize(1);
    });
    assertThat(onA.isClosed() || onB.isClosed()).isFalse();
    bye(onA, onB);
  }

  @Test
  void a_kick_by_session_takes_that_session_only_and_a_session_not_in_the_room_is_kicked_from_nothing() {
    TestSession stays = hello(0, "carol");
    TestSession kicked = hello(1, "carol");
    TestSession elsewhere = hello(1, "dora");
    join(stays, "#by-session", 1);
    join(kicked, "#by-session", 1);
    join(elsewhere, "#other", 1);

    PresenceClient.KickResult result = TestSession.await(admin(0).kickFromRoom("#by-session", kicked.sessionId(),
        null));

    assertThat(result.kicked()).isEqualTo(1);
    assertThat(result.sessions()).containsExactly(kicked.sessionId());
    assertThat(kicked.awaitType("left")).isEqualTo(new JsonObject().put("type", "left").put("room", "#by-session")
        .put("reason", "kicked"));
    assertThat(members(room(0, "#by-session"))).containsExactly(stays.sessionId());
    assertThat(TestSession.await(admin(1).kickFromRoom("#by-session", kicked.sessionId(), null)).kicked())
        .as("kicked again: not in the room any more").isZero();
    assertThat(TestSession.await(admin(1).kickFromRoom("#by-session", elsewhere.sessionId(), null)).kicked())
        .as("a session in another room").isZero();
    assertThat(TestSession.await(admin(1).kickFromRoom("#by-session", "no-such-session", null)).kicked()).isZero();
    // The kicked session knows it is out: it joins again as a new member, and may leave as usual.
    join(kicked, "#by-session", 2);
    assertThat(room(1, "#by-session").getInteger("sessions")).isEqualTo(2);
    kicked.send(new JsonObject().put("type", "leave").put("room", "#by-session"));
    assertThat(kicked.awaitNth("left", 2)).as("an ordinary leave's answer has no reason")
        .isEqualTo(new JsonObject().put("type", "left").put("room", "#by-session"));
    ping(kicked, 1);
    assertThat(stays.ofType("left")).isEmpty();
    assertThat(elsewhere.ofType("left")).isEmpty();
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.roomStory("#by-session"))
        .filteredOn(e -> e.startsWith("room.leave")).containsExactly("room.leave " + kicked.sessionId() + " kicked",
            "room.leave " + kicked.sessionId() + " left"));
    assertThat(events.roomStory("#by-session")).doesNotContain("room.vacated");
    bye(stays, kicked, elsewhere);
  }

  @Test
  void a_user_token_may_kick_its_own_session_from_a_room_but_not_another_users() throws Exception {
    TestSession victim = hello(0, "erin");
    TestSession own = hello(1, "frank");
    join(victim, "#guarded", 1);
    join(own, "#guarded", 1);
    PresenceClient asFrank = PresenceClient.create(cluster.node(1).runtime().vertx())
        .withBearerToken(token("frank"));

    assertThat(failure(asFrank.kickUserFromRoom("#guarded", "erin", null)).status()).isEqualTo(403);
    assertThat(failure(asFrank.kickFromRoom("#guarded", victim.sessionId(), null)).status()).isEqualTo(403);
    assertThat(members(room(0, "#guarded"))).as("nothing removed")
        .containsExactlyInAnyOrder(victim.sessionId(), own.sessionId());
    assertThat(TestSession.await(asFrank.kickFromRoom("#guarded", own.sessionId(), "leaving")).kicked())
        .as("a user may kick its own session").isEqualTo(1);
    own.awaitType("left");
    assertThat(members(room(1, "#guarded"))).containsExactly(victim.sessionId());
    for (JsonObject bad : List.of(new JsonObject().put("room", "two words").put("user", "erin"),
        new JsonObject().put("room", "#guarded").put("user", "erin").put("revokeForMs", 60_000),
        new JsonObject().put("room", "#guarded").put("nick", "Erin"))) {
      assertThat(kickFails(bad)).as(bad.encode()).isEqualTo(400);
    }
    assertThat(victim.ofType("left")).isEmpty();
    ping(victim, 1);
    bye(victim, own);
  }

  /** @return a session of {@code user} on node {@code node}, welcomed, with a token that may join every room */
  private static TestSession hello(int node, String user) {
    TestSession session = TestSession.connect(client, cluster.port(node));
    session.send(new JsonObject().put("type", "hello").put("token", token(user)));
    session.awaitType("welcome");
    return session;
  }

  private static String token(String user) {
    return Tokens.hs256(Tokens.SECRET, Tokens.claims(user, 3_600).put("rooms", new JsonArray().add("*")));
  }

  private static PresenceClient admin(int node) {
    return PresenceClient.create(cluster.node(node).runtime().vertx()).withBearerToken(
        Tokens.hs256(Tokens.SECRET, Tokens.claims("ops", 3_600).put("roles", new JsonArray().add("presence-admin"))));
  }

  private static void join(TestSession session, String room, int nth) {
    session.send(new JsonObject().put("type", "join").put("room", room));
    assertThat(session.awaitNth("joined", nth).getString("room")).isEqualTo(room);
  }

  /** The connection still answers. */
  private static void ping(TestSession session, int nth) {
    session.send(new JsonObject().put("type", "ping").put("seq", nth));
    assertThat(session.awaitNth("pong", nth).getInteger("seq")).isEqualTo(nth);
  }

  private static void bye(TestSession... sessions) {
    for (TestSession s : sessions) {
      s.send(new JsonObject().put("type", "bye"));
    }
  }

  private static JsonObject room(int node, String room) {
    PresenceHttp.Response response = PresenceHttp.get(cluster.adminPort(node),
        "/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8));
    assertThat(response.status()).as("GET /rooms/%s: %s", room, response.body()).isEqualTo(200);
    return response.body();
  }

  private static List<String> members(JsonObject room) {
    return room.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("session")).toList();
  }

  /** @return {@code presence_room_leaves_total{reason="kicked"}} summed over both nodes (0 where absent) */
  private static double roomLeavesKicked() {
    String name = "presence_room_leaves_total{reason=\"kicked\"";
    double sum = 0;
    for (int node = 0; node < 2; node++) {
      sum += PresenceHttp.metrics(cluster.adminPort(node)).lines().filter(l -> l.startsWith(name))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
    return sum;
  }

  private static PresenceApiException failure(Future<?> kick) throws Exception {
    try {
      kick.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("accepted");
    } catch (ExecutionException e) {
      return (PresenceApiException) e.getCause();
    }
  }

  private static int kickFails(JsonObject body) throws Exception {
    String admin = Tokens.hs256(Tokens.SECRET, Tokens.claims("ops", 3_600)
        .put("roles", new JsonArray().add("presence-admin")));
    try {
      cluster.node(0).runtime().vertx().eventBus().<JsonObject>request("presence.kick", body,
              new io.vertx.core.eventbus.DeliveryOptions().addHeader("authorization", "Bearer " + admin))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("accepted: " + body.encode());
    } catch (ExecutionException e) {
      return ((io.vertx.core.eventbus.ReplyException) e.getCause()).failureCode();
    }
  }
}
