package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.testing.BridgeClient;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SockJS event-bus bridge: a browser-side client on one node sees presence events of sessions on
 * another, and can neither send to nor listen on any other address (a browser must never evict sessions).
 */
class EventBusBridgeIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private WebSocketClient client;
  private TestCluster cluster;
  private final List<BridgeClient> bridges = new ArrayList<>();
  private final AtomicInteger probes = new AtomicInteger();

  @BeforeEach
  void start() {
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS);
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    bridges.forEach(BridgeClient::close);
    TestSession.await(vertx.close());
    cluster.close();
  }

  @Test
  void a_bridge_client_on_one_node_sees_join_and_leave_of_a_session_reset_on_the_other() throws Exception {
    BridgeClient events = subscribedBridge(cluster.port(1));
    RawWebSocketClient alice = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    alice.sendText(new JsonObject().put("type", "hello").put("user", "alice").put("nick", "Alice").encode());
    String session = alice.awaitType("welcome", WAIT).getString("session");

    assertThat(nextEventOf(events, session).getString("event")).isEqualTo("join");
    alice.resetAbruptly();

    JsonObject leave = nextEventOf(events, session, "leave");
    assertThat(leave.getString("reason")).isEqualTo("reset");
    assertThat(leave.getString("user")).isEqualTo("alice");
    assertThat(leave.getString("nick")).isEqualTo("Alice");
  }

  @Test
  void sends_publishes_and_registrations_on_any_other_address_are_refused() throws Exception {
    TestSession bob = TestSession.hello(client, cluster.port(0), "bob", "Bob");
    BridgeClient bridge = BridgeClient.connect(cluster.port(0));
    bridges.add(bridge);
    JsonObject evict = new JsonObject().put("session", bob.sessionId()).put("reason", "evicted");

    for (String type : List.of("send", "publish")) {
      bridge.sendFrame(new JsonObject().put("type", type).put("address", "presence.evict").put("body", evict));
      assertThat(nextFrame(bridge).getString("body")).as(type).isEqualTo("access_denied");
    }
    bridge.sendFrame(new JsonObject().put("type", "send").put("address", "presence.events").put("body", evict));
    assertThat(nextFrame(bridge).getString("body")).isEqualTo("access_denied");
    bridge.register("presence.evict");
    assertThat(nextFrame(bridge).getString("body")).isEqualTo("access_denied");

    assertThat(bob.isClosed()).isFalse();
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).contains(bob.sessionId());
  }

  @Test
  void without_tokens_a_query_needs_no_token_and_a_kick_is_still_refused() throws Exception {
    TestSession carol = TestSession.hello(client, cluster.port(1), "carol", null);
    BridgeClient bridge = BridgeClient.connect(cluster.port(0));
    bridges.add(bridge);

    bridge.sendFrame(new JsonObject().put("type", "send").put("address", "presence.query").put("replyAddress", "r-1")
        .put("body", new JsonObject().put("by", "user").put("user", "carol")));
    JsonObject reply = nextFrame(bridge);
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getJsonObject("body").getJsonArray("sessions").getJsonObject(0).getString("session"))
        .isEqualTo(carol.sessionId());

    for (String type : List.of("send", "publish")) {
      bridge.sendFrame(new JsonObject().put("type", type).put("address", "presence.kick")
          .put("body", new JsonObject().put("session", carol.sessionId())));
      assertThat(nextFrame(bridge).getString("body")).as(type).isEqualTo("access_denied");
    }
    assertThat(carol.isClosed()).isFalse();
  }

  @Test
  void a_plain_get_on_the_websocket_path_is_answered_400_and_unknown_upgrades_404() throws Exception {
    assertThat(PresenceHttp.raw(cluster.port(0), "/ws", null).statusCode()).isEqualTo(400);
    assertThatThrownBy(() -> RawWebSocketClient.connect("127.0.0.1", cluster.port(0),
        "/nowhere", WAIT)).hasMessageContaining("404");
  }

  /** A bridge registered on presence.events, returned once a probe session's join reached it. */
  private BridgeClient subscribedBridge(int port) throws Exception {
    BridgeClient bridge = BridgeClient.subscribedToEvents(port, () -> TestSession.hello(client, cluster.port(0),
        "probe-" + probes.incrementAndGet(), null).socket().close());
    bridges.add(bridge);
    return bridge;
  }

  private static JsonObject nextEventOf(BridgeClient bridge, String session) throws InterruptedException {
    return nextEventOf(bridge, session, null);
  }

  /** Skips other sessions' events (probes) until {@code session}'s next event (of {@code type} if given). */
  private static JsonObject nextEventOf(BridgeClient bridge, String session, String type) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (System.currentTimeMillis() < deadline) {
      BridgeClient.Received r = bridge.poll(Duration.ofMillis(200));
      if (r == null || !"rec".equals(r.frame().getString("type"))) {
        continue;
      }
      JsonObject body = r.frame().getJsonObject("body");
      if (session.equals(body.getString("session")) && (type == null || type.equals(body.getString("event")))) {
        return body;
      }
    }
    throw new AssertionError("no " + (type == null ? "event" : type) + " of " + session + " within " + WAIT);
  }

  private static JsonObject nextFrame(BridgeClient bridge) throws InterruptedException {
    BridgeClient.Received r = bridge.poll(WAIT);
    assertThat(r).as("an answer from the bridge").isNotNull();
    return r.frame();
  }
}
