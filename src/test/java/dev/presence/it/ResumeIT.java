package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resume across nodes: a resumable session whose connection is reset is held for resume (no leave); its client
 * reconnects to the OTHER node with the resume token within the grace period and keeps its session id and
 * nickname, and a subscriber sees suspect → resumed, never a leave or a second join. A hold nobody resumes ends
 * with the leave it held back.
 */
class ResumeIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final long GRACE_MS = 3_000;
  static final String SERVICE_TOKEN = "resume-it-service-credential-0123456789";

  static TestCluster cluster;
  static final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    AuthSettings devWithService = new AuthSettings(AuthMode.NONE, null, null, "RS256", null, null, "roles", List.of(),
        false, SERVICE_TOKEN);
    cluster = TestCluster.start(2, new TestCluster.Timings(1_000, 3_000, GRACE_MS, 5_000),
        c -> c.with(devWithService, c.limits()));
    MessageConsumer<JsonObject> consumer = cluster.node(1).runtime().vertx().eventBus()
        .consumer("presence.events", m -> events.add(m.body()));
    consumer.completion().toCompletionStage().toCompletableFuture().get();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawWebSocketClient connect(int node) throws IOException {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(node), "/ws", WAIT);
  }

  static List<JsonObject> changes(TestSession session, String kind) {
    List<JsonObject> all = new java.util.ArrayList<>();
    session.ofType("presence.diff").forEach(diff -> diff.getJsonArray(kind).forEach(c -> all.add((JsonObject) c)));
    return all;
  }

  static List<String> eventsOf(String session) {
    return events.stream().filter(e -> session.equals(e.getString("session"))).map(e -> e.getString("event"))
        .toList();
  }

  @Test
  void a_reset_session_resumed_on_the_other_node_keeps_its_id_and_nick_and_never_flaps() throws Exception {
    // A WebSocket subscriber on the first node, watching alice.
    Vertx clientVertx = Vertx.vertx();
    WebSocketClient wsClient = clientVertx.createWebSocketClient();
    TestSession watcher = TestSession.hello(wsClient, cluster.port(0), "watcher", null);
    watcher.send(new JsonObject().put("type", "subscribe").put("users", new JsonArray(List.of("alice"))));
    watcher.awaitType("presence.state");

    RawWebSocketClient first = connect(0);
    first.sendText("{\"type\":\"hello\",\"user\":\"alice\",\"nick\":\"Alice\",\"resumable\":true}");
    JsonObject welcome = first.awaitType("welcome", WAIT);
    String session = welcome.getString("session");
    String resume = welcome.getString("resume");
    assertThat(resume).isNotBlank();

    first.resetAbruptly();
    await().atMost(WAIT).until(() -> eventsOf(session).contains("suspect"));
    JsonObject held = PresenceHttp.get(cluster.adminPort(1), "/presence/users/alice").body();
    assertThat(held.getJsonArray("sessions").getJsonObject(0).getBoolean("suspect")).isTrue();
    long suspectedAt = System.currentTimeMillis();

    try (RawWebSocketClient second = connect(1)) {
      second.sendText(new JsonObject().put("type", "hello").put("user", "alice").put("resume", resume).encode());
      JsonObject resumed = second.awaitType("welcome", WAIT);
      assertThat(resumed.getBoolean("resumed")).isTrue();
      assertThat(resumed.getString("session")).isEqualTo(session);
      assertThat(resumed.getString("nick")).isEqualTo("Alice");
      assertThat(resumed.getString("node")).isEqualTo(cluster.node(1).nodeId());
      await().atMost(WAIT).until(() -> eventsOf(session).contains("resumed"));

      // Past the end of the grace period the hold's timer has run on the first node: it must have done nothing.
      // (Heartbeats meanwhile: this raw client answers the server's pings only while it reads.)
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
        second.sendText("{\"type\":\"ping\",\"seq\":1}");
        assertThat(second.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(1);
        return System.currentTimeMillis() > suspectedAt + GRACE_MS + 1_500;
      });
      assertThat(eventsOf(session)).containsExactly("join", "nick", "suspect", "resumed");
      // The subscriber saw one join, then updates (nick, suspect, resumed), and no leave.
      await().atMost(WAIT).until(() -> changes(watcher, "updates").stream()
          .anyMatch(u -> session.equals(u.getString("session")) && "resumed".equals(u.getString("change"))));
      assertThat(changes(watcher, "joins")).filteredOn(j -> session.equals(j.getString("session"))).hasSize(1);
      assertThat(changes(watcher, "leaves")).filteredOn(l -> session.equals(l.getString("session"))).isEmpty();
      assertThat(changes(watcher, "updates")).filteredOn(u -> session.equals(u.getString("session")))
          .extracting(u -> u.getString("change")).containsSubsequence("suspect", "resumed");
      watcher.socket().close();
      clientVertx.close();
      JsonObject now = PresenceHttp.get(cluster.adminPort(0), "/nicknames/Alice").body();
      assertThat(now.getString("session")).isEqualTo(session);
      assertThat(now.getString("state")).isEqualTo("held");
      assertThat(PresenceHttp.get(cluster.adminPort(0), "/presence/users/alice").body().getJsonArray("sessions")
          .getJsonObject(0).getBoolean("suspect")).isFalse();
    }
  }

  @Test
  void a_hold_nobody_resumes_ends_with_the_leave_it_held_back() throws Exception {
    RawWebSocketClient client = connect(0);
    client.sendText("{\"type\":\"hello\",\"user\":\"bob\",\"resumable\":true}");
    String session = client.awaitType("welcome", WAIT).getString("session");
    client.resetAbruptly();

    await().atMost(WAIT).until(() -> eventsOf(session).contains("suspect"));
    assertThat(eventsOf(session)).doesNotContain("leave");
    await().atMost(WAIT).until(() -> eventsOf(session).contains("leave"));
    JsonObject leave = events.stream().filter(e -> session.equals(e.getString("session"))
        && "leave".equals(e.getString("event"))).findFirst().orElseThrow();
    assertThat(leave.getString("reason")).isEqualTo("reset");
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).doesNotContain(session);
  }

  @Test
  void a_kick_ends_a_hold_at_once_and_frees_the_nickname() throws Exception {
    RawWebSocketClient client = connect(0);
    client.sendText("{\"type\":\"hello\",\"user\":\"dave\",\"nick\":\"Dave\",\"resumable\":true}");
    String session = client.awaitType("welcome", WAIT).getString("session");
    client.resetAbruptly();
    await().atMost(WAIT).until(() -> eventsOf(session).contains("suspect"));

    JsonObject reply = cluster.node(1).runtime().vertx().eventBus()
        .<JsonObject>request("presence.kick", new JsonObject().put("user", "dave"),
            new DeliveryOptions().addHeader("authorization", "Service " + SERVICE_TOKEN))
        .toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).body();
    assertThat(reply.getInteger("kicked")).isEqualTo(1);

    await().atMost(Duration.ofMillis(GRACE_MS - 500)).until(() -> eventsOf(session).contains("leave"));
    assertThat(events.stream().filter(e -> session.equals(e.getString("session")) && "leave".equals(e.getString("event")))
        .findFirst().orElseThrow().getString("reason")).isEqualTo("kicked");
    // Freed at once (the leave and the release go out together), not after the grace period.
    await().atMost(Duration.ofMillis(GRACE_MS - 1_000))
        .until(() -> PresenceHttp.nickname(cluster.adminPort(1), "Dave").status() == 404);
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).doesNotContain(session);
  }

  @Test
  void a_bad_or_foreign_resume_token_gets_a_new_session_and_resume_failed() throws Exception {
    RawWebSocketClient carol = connect(0);
    carol.sendText("{\"type\":\"hello\",\"user\":\"carol\",\"resumable\":true}");
    JsonObject welcome = carol.awaitType("welcome", WAIT);
    carol.resetAbruptly();
    await().atMost(WAIT).until(() -> eventsOf(welcome.getString("session")).contains("suspect"));

    for (JsonObject hello : List.of(
        new JsonObject().put("type", "hello").put("user", "mallory").put("resume", welcome.getString("resume")),
        new JsonObject().put("type", "hello").put("user", "carol").put("resume", "garbage"))) {
      try (RawWebSocketClient other = connect(1)) {
        other.sendText(hello.encode());
        JsonObject fresh = other.awaitType("welcome", WAIT);
        assertThat(fresh.getString("session")).isNotEqualTo(welcome.getString("session"));
        assertThat(fresh.getBoolean("resumed")).isNull();
        assertThat(other.awaitType("error", WAIT).getString("code")).isEqualTo("resume_failed");
      }
    }
  }
}
