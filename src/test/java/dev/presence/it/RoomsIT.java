package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.api.PresenceClient;
import dev.presence.config.RoomSettings;
import dev.presence.testing.PresenceEventLog;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rooms (docs/protocol.md §12) on a two-node cluster in development mode, with real WebSocket clients: joins and
 * leaves across nodes, the refusals that keep the connection, the single end path taking a reset session out of its
 * rooms once, and the room queries over HTTP and the event bus. Rooms hold at most 3 sessions, a session at most 2
 * rooms. Each test uses rooms of its own.
 */
class RoomsIT {

  static final Duration WAIT = Duration.ofSeconds(20);

  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;
  static PresenceEventLog events;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new TestCluster.Timings(500, 2_000, 3_000, 5_000),
        config -> config.with(new RoomSettings(3, 2)));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100));
    events = PresenceEventLog.subscribe(cluster.node(1).runtime().vertx());
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  static JsonObject join(String room) {
    return new JsonObject().put("type", "join").put("room", room);
  }

  static JsonObject leave(String room) {
    return new JsonObject().put("type", "leave").put("room", room);
  }

  /** The connection still answers: a refusal did not close it. */
  static void assertStillOpen(TestSession session, int pongs) {
    session.send(new JsonObject().put("type", "ping").put("seq", pongs));
    assertThat(session.awaitNth("pong", pongs).getInteger("seq")).isEqualTo(pongs);
  }

  static JsonObject roomOverHttp(int node, String room) {
    PresenceHttp.Response response = PresenceHttp.get(cluster.adminPort(node),
        "/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8));
    assertThat(response.status()).as("GET /rooms/%s: %s", room, response.body()).isEqualTo(200);
    return response.body();
  }

  /** @return the value of an unlabelled metric on a node's scrape */
  static double metric(int node, String name) {
    return PresenceHttp.metric(cluster.adminPort(node), name);
  }

  static List<String> members(JsonObject room) {
    return room.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("session")).toList();
  }

  @Test
  void sessions_on_both_nodes_join_and_leave_a_room_and_every_transition_is_published_once() {
    TestSession alice = TestSession.hello(client, cluster.port(0), "alice", null);
    TestSession bob = TestSession.hello(client, cluster.port(1), "bob", null);

    alice.send(join("#general").put("meta", new JsonObject().put("role", "host")));
    JsonObject aliceJoined = alice.awaitType("joined");
    assertThat(aliceJoined).isEqualTo(new JsonObject().put("type", "joined").put("room", "#general")
        .putNull("nick").put("members", 1).put("users", 1));
    bob.send(join("#general"));
    assertThat(bob.awaitType("joined").getInteger("members")).isEqualTo(2);

    assertThat(metric(0, "presence_rooms_occupied") + metric(1, "presence_rooms_occupied"))
        .as("occupied rooms, summed over the nodes").isPositive();
    assertThat(metric(0, "presence_room_joins_total")).isPositive();
    JsonObject onB = roomOverHttp(1, "#general");
    assertThat(onB.getInteger("sessions")).isEqualTo(2);
    assertThat(onB.getInteger("users")).isEqualTo(2);
    assertThat(members(onB)).containsExactlyInAnyOrder(alice.sessionId(), bob.sessionId());
    JsonObject aliceMember = onB.getJsonArray("members").stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("session").equals(alice.sessionId())).findFirst().orElseThrow();
    assertThat(aliceMember.getJsonObject("roomMeta")).isEqualTo(new JsonObject().put("role", "host"));
    assertThat(aliceMember.getLong("joinedAt")).isPositive();

    alice.send(leave("#general"));
    assertThat(alice.awaitType("left").getString("room")).isEqualTo("#general");
    bob.send(leave("#general"));
    bob.awaitType("left");

    await().atMost(WAIT).untilAsserted(() -> assertThat(events.roomStory("#general")).containsExactly(
        "room.occupied", "room.join " + alice.sessionId(), "room.join " + bob.sessionId(),
        "room.leave " + alice.sessionId() + " left", "room.leave " + bob.sessionId() + " left", "room.vacated"));
    assertThat(members(roomOverHttp(0, "#general"))).isEmpty();
    alice.send(new JsonObject().put("type", "bye"));
    bob.send(new JsonObject().put("type", "bye"));
  }

  @Test
  void refusals_name_the_room_and_keep_the_connection() {
    TestSession carol = TestSession.hello(client, cluster.port(0), "carol", null);

    carol.send(join("two words"));
    JsonObject bad = carol.awaitType("error");
    assertThat(bad.getString("code")).isEqualTo("bad_request");
    assertThat(bad.getString("message")).contains("field 'room' may hold only letters, digits");
    carol.send(join("#r").put("nick", ""));
    JsonObject badNick = carol.awaitNth("error", 2);
    assertThat(badNick.getString("code")).isEqualTo("nick_invalid");
    assertThat(badNick.getString("room")).isEqualTo("#r");
    carol.send(leave("#never-joined"));
    JsonObject notIn = carol.awaitNth("error", 3);
    assertThat(notIn.getString("code")).isEqualTo("not_in_room");
    assertThat(notIn.getString("room")).isEqualTo("#never-joined");

    carol.send(join("limit-a"));
    carol.awaitType("joined");
    carol.send(join("limit-b"));
    carol.awaitNth("joined", 2);
    carol.send(join("limit-c"));
    JsonObject limit = carol.awaitNth("error", 4);
    assertThat(limit.getString("code")).isEqualTo("room_limit");
    assertThat(limit.getString("room")).isEqualTo("limit-c");
    carol.send(join("limit-a").put("meta", new JsonObject().put("again", true)));
    assertThat(carol.awaitNth("joined", 3).getInteger("members")).as("a repeated join takes no second place")
        .isEqualTo(1);
    assertStillOpen(carol, 1);
    carol.send(new JsonObject().put("type", "bye"));
  }

  @Test
  void a_full_room_refuses_the_next_session_on_either_node() {
    List<TestSession> three = List.of(TestSession.hello(client, cluster.port(0), "dan", null),
        TestSession.hello(client, cluster.port(1), "dan", null), TestSession.hello(client, cluster.port(1), "eve", null));
    for (TestSession s : three) {
      s.send(join("full"));
      s.awaitType("joined");
    }
    assertThat(roomOverHttp(0, "full").getInteger("users")).as("dan twice, eve once").isEqualTo(2);
    TestSession fourth = TestSession.hello(client, cluster.port(0), "fay", null);

    fourth.send(join("full"));

    JsonObject full = fourth.awaitType("error");
    assertThat(full.getString("code")).isEqualTo("room_full");
    assertThat(full.getString("room")).isEqualTo("full");
    assertStillOpen(fourth, 1);
    assertThat(roomOverHttp(1, "full").getInteger("sessions")).isEqualTo(3);
    three.forEach(s -> s.send(new JsonObject().put("type", "bye")));
    fourth.send(new JsonObject().put("type", "bye"));
  }

  @Test
  void a_reset_connection_leaves_each_of_its_rooms_once_with_its_reason() throws Exception {
    TestSession gus = TestSession.hello(client, cluster.port(1), "gus", null);
    gus.send(join("team:7/design"));
    gus.awaitType("joined");
    RawWebSocketClient raw = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    raw.sendText(new JsonObject().put("type", "hello").put("user", "hal").encode());
    String hal = raw.awaitType("welcome", WAIT).getString("session");
    raw.sendText(join("team:7/design").encode());
    raw.awaitType("joined", WAIT);
    raw.sendText(join("#solo").encode());
    raw.awaitType("joined", WAIT);

    raw.resetAbruptly();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(events.roomStory("#solo")).endsWith("room.leave " + hal + " reset", "room.vacated");
      assertThat(events.roomStory("team:7/design")).contains("room.leave " + hal + " reset");
    });
    assertThat(members(roomOverHttp(1, "team:7/design"))).containsExactly(gus.sessionId());
    assertThat(roomOverHttp(1, "#solo").getInteger("sessions")).isZero();
    // Nothing more: the end ran once, and the room still held by gus was not vacated.
    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
      assertThat(events.roomStory("#solo").stream().filter(e -> e.startsWith("room.leave"))).hasSize(1);
      assertThat(events.roomStory("team:7/design")).doesNotContain("room.vacated");
    });
    gus.send(new JsonObject().put("type", "bye"));
  }

  @Test
  void rooms_are_listed_by_prefix_and_read_over_the_event_bus_and_a_user_lists_its_sessions_rooms() {
    TestSession ivy = TestSession.hello(client, cluster.port(0), "ivy", null);
    for (String room : List.of("q:a", "q:b")) {
      ivy.send(join(room));
    }
    ivy.awaitNth("joined", 2);

    JsonObject listed = PresenceHttp.get(cluster.adminPort(1), "/rooms?prefix=q:&limit=1").body();
    assertThat(listed.getJsonArray("rooms")).containsExactly(new JsonObject().put("room", "q:a").put("sessions", 1)
        .put("users", 1));
    assertThat(listed.getString("next")).isEqualTo("q:a");
    JsonObject rest = PresenceHttp.get(cluster.adminPort(1), "/rooms?prefix=q:&after=q:a").body();
    assertThat(rest.getJsonArray("rooms").stream().map(r -> ((JsonObject) r).getString("room")))
        .containsExactly("q:b");
    assertThat(PresenceHttp.get(cluster.adminPort(1), "/rooms?prefix=" + URLEncoder.encode("a b",
        StandardCharsets.UTF_8)).status()).isEqualTo(400);
    assertThat(PresenceHttp.get(cluster.adminPort(1), "/rooms/two%20words").status()).isEqualTo(400);

    PresenceClient presence = PresenceClient.create(cluster.node(1).runtime().vertx());
    PresenceClient.Room room = TestSession.await(presence.room("q:b", 10, null));
    assertThat(room.sessions()).isEqualTo(1);
    assertThat(room.members()).extracting(PresenceClient.Session::session).containsExactly(ivy.sessionId());
    PresenceClient.RoomPage page = TestSession.await(presence.rooms("q:", 10, null));
    assertThat(page.rooms()).containsExactly(new PresenceClient.RoomCount("q:a", 1, 1),
        new PresenceClient.RoomCount("q:b", 1, 1));

    JsonObject user = PresenceHttp.get(cluster.adminPort(1), "/presence/users/ivy").body();
    JsonArray rooms = user.getJsonArray("sessions").getJsonObject(0).getJsonArray("rooms");
    assertThat(rooms.stream().map(String.class::cast).collect(Collectors.toList())).containsExactly("q:a", "q:b");
    ivy.send(new JsonObject().put("type", "bye"));
  }
}
