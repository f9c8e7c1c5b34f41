package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.auth.TokenMint;
import dev.presence.config.AuthSettings;
import dev.presence.testing.BridgeClient;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SockJS bridge of a node that requires tokens: a browser with a valid token may ask {@code presence.query}
 * and listen on {@code presence.events}; without a token, or with a bad one, it may do neither; nobody may send
 * or publish to {@code presence.kick} or {@code presence.evict}, token or not.
 */
class EventBusBridgeAuthIT {

  private static final String SECRET = "event-bus-bridge-auth-it-secret-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestCluster cluster;
  private static Vertx vertx;
  private static WebSocketClient client;
  private final List<BridgeClient> bridges = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, TestCluster.Timings.DEFAULTS,
        c -> c.with(AuthSettings.hs256(SECRET, Tokens.ISSUER, Tokens.AUDIENCE), TestCluster.GENEROUS_LIMITS));
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    TestSession.await(vertx.close());
    cluster.close();
  }

  @AfterEach
  void closeBridges() {
    bridges.forEach(BridgeClient::close);
  }

  @Test
  void a_query_with_a_valid_token_is_answered() throws Exception {
    BridgeClient bridge = bridge();
    bridge.sendFrame(query("r-1", new JsonObject().put("by", "members")).put("headers", bearer(token("alice"))));

    JsonObject reply = nextFrame(bridge);
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getString("address")).isEqualTo("r-1");
    assertThat(reply.getJsonObject("body").getJsonArray("members").getJsonObject(0).getString("node"))
        .isEqualTo(cluster.node(0).nodeId());
  }

  @Test
  void a_refused_query_reaches_the_browser_as_an_error_with_its_status() throws Exception {
    BridgeClient bridge = bridge();
    bridge.sendFrame(query("r-2", new JsonObject().put("by", "nope")).put("headers", bearer(token("alice"))));

    JsonObject reply = nextFrame(bridge);
    assertThat(reply.getString("type")).isEqualTo("err");
    assertThat(reply.getInteger("failureCode")).isEqualTo(400);
    assertThat(reply.getString("message")).startsWith("bad_request: ");
  }

  @Test
  void a_query_without_a_token_or_with_a_bad_one_is_refused_and_counted() throws Exception {
    BridgeClient bridge = bridge();
    JsonObject members = new JsonObject().put("by", "members");
    String forged = TokenMint.mint("a-different-secret-that-is-32-bytes-long", "alice", List.of(), 60,
        Tokens.ISSUER, Tokens.AUDIENCE);
    for (JsonObject headers : List.of(new JsonObject(), bearer("not.a.jwt"), bearer(forged),
        new JsonObject().put("authorization", "Service whatever-credential-you-like"))) {
      bridge.sendFrame(query("r-3", members).put("headers", headers));
      JsonObject reply = nextFrame(bridge);
      assertThat(reply.getString("type")).as(headers.encode()).isEqualTo("err");
      assertThat(reply.getString("body")).as(headers.encode()).isEqualTo("rejected");
    }
    bridge.sendFrame(query("r-4", members));
    assertThat(nextFrame(bridge).getString("body")).isEqualTo("rejected");
    java.util.regex.Matcher refused = java.util.regex.Pattern
        .compile("presence_refusals_total\\{code=\"unauthorized\"[^}]*} ([0-9.E]+)").matcher(metrics());
    assertThat(refused.find()).as("refusals metric").isTrue();
    assertThat(Double.parseDouble(refused.group(1))).isGreaterThanOrEqualTo(5);
  }

  @Test
  void a_rooms_members_are_read_through_the_bridge_only_with_the_right_to_watch_the_room() throws Exception {
    BridgeClient bridge = bridge();
    JsonObject granted = bearer(TokenMint.mint(SECRET, "gina", List.of(), List.of("watch:#ok", "team:*"), 600,
        Tokens.ISSUER, Tokens.AUDIENCE));
    for (String room : List.of("#ok", "team:blue")) {
      bridge.sendFrame(query("q-" + room, new JsonObject().put("by", "room").put("room", room)).put("headers", granted));
      JsonObject reply = nextFrame(bridge);
      assertThat(reply.getString("type")).as(room).isEqualTo("rec");
      assertThat(reply.getJsonObject("body").getString("room")).isEqualTo(room);
    }
    JsonObject room = new JsonObject().put("by", "room").put("room", "#secret");
    for (JsonObject headers : List.of(granted, bearer(token("hugo")))) {
      bridge.sendFrame(query("q-secret", room).put("headers", headers));
      assertThat(nextFrame(bridge).getString("body")).as("no grant for #secret").isEqualTo("rejected");
    }
    bridge.sendFrame(query("q-list", new JsonObject().put("by", "rooms")).put("headers", granted));
    assertThat(nextFrame(bridge).getString("body")).as("every room's name needs the watch-all right")
        .isEqualTo("rejected");
    JsonObject watcher = bearer(TokenMint.mint(SECRET, "ops", List.of("presence-watch-all"), 600, Tokens.ISSUER,
        Tokens.AUDIENCE));
    bridge.sendFrame(query("q-list", new JsonObject().put("by", "rooms")).put("headers", watcher));
    assertThat(nextFrame(bridge).getString("type")).isEqualTo("rec");
    bridge.sendFrame(query("q-secret", room).put("headers", watcher));
    assertThat(nextFrame(bridge).getString("type")).isEqualTo("rec");
  }

  @Test
  void kick_and_evict_are_refused_with_or_without_a_token_even_an_admin_one() throws Exception {
    TestSession bob = TestSession.connect(client, cluster.port(0));
    bob.send(new JsonObject().put("type", "hello").put("user", "bob").put("token", token("bob")));
    bob.awaitType("welcome");
    BridgeClient bridge = bridge();
    JsonObject admin = bearer(TokenMint.mint(SECRET, "root", List.of("presence-admin"), 600, Tokens.ISSUER,
        Tokens.AUDIENCE));
    JsonObject target = new JsonObject().put("session", bob.sessionId()).put("reason", "kicked");

    for (String address : List.of("presence.kick", "presence.evict")) {
      for (String type : List.of("send", "publish")) {
        bridge.sendFrame(frame(type, address, target).put("headers", admin));
        assertThat(nextFrame(bridge).getString("body")).as(type + " " + address).isEqualTo("access_denied");
        bridge.sendFrame(frame(type, address, target));
        assertThat(nextFrame(bridge).getString("body")).as(type + " " + address).isEqualTo("rejected");
      }
    }
    assertThat(bob.isClosed()).isFalse();
    assertThat(PresenceHttp.sessions(cluster.adminPort(0))).contains(bob.sessionId());
  }

  @Test
  void registering_for_events_needs_a_token() throws Exception {
    BridgeClient bridge = bridge();
    bridge.register("presence.events");
    assertThat(nextFrame(bridge).getString("body")).isEqualTo("rejected");

    bridge.sendFrame(new JsonObject().put("type", "register").put("address", "presence.events")
        .put("headers", bearer(token("carol"))));
    // The registration spreads through the cluster asynchronously: probe with sessions until one's event arrives.
    org.awaitility.Awaitility.await("an event through the token-checked registration").atMost(WAIT)
        .pollDelay(Duration.ZERO).untilAsserted(() -> {
          TestSession probe = TestSession.connect(client, cluster.port(0));
          probe.send(new JsonObject().put("type", "hello").put("user", "carol").put("token", token("carol")));
          String session = probe.awaitType("welcome").getString("session");
          probe.socket().close();
          JsonObject event = nextFrameMatching(bridge, session, Duration.ofMillis(500));
          assertThat(event.getString("type")).isEqualTo("rec");
          assertThat(event.getString("address")).isEqualTo("presence.events");
        });
  }

  private static String metrics() throws Exception {
    return PresenceHttp.metrics(cluster.adminPort(0));
  }

  private BridgeClient bridge() throws Exception {
    BridgeClient bridge = BridgeClient.connect(cluster.port(0));
    bridges.add(bridge);
    return bridge;
  }

  private static JsonObject query(String replyAddress, JsonObject body) {
    return frame("send", "presence.query", body).put("replyAddress", replyAddress);
  }

  private static JsonObject frame(String type, String address, JsonObject body) {
    return new JsonObject().put("type", type).put("address", address).put("body", body);
  }

  private static JsonObject bearer(String token) {
    return new JsonObject().put("authorization", "Bearer " + token);
  }

  private static String token(String user) {
    return TokenMint.mint(SECRET, user, List.of(), 600, Tokens.ISSUER, Tokens.AUDIENCE);
  }

  private static JsonObject nextFrame(BridgeClient bridge) throws InterruptedException {
    BridgeClient.Received r = bridge.poll(WAIT);
    assertThat(r).as("an answer from the bridge").isNotNull();
    return r.frame();
  }

  private static JsonObject nextFrameMatching(BridgeClient bridge, String session, Duration within)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + within.toMillis();
    while (System.currentTimeMillis() < deadline) {
      BridgeClient.Received r = bridge.poll(Duration.ofMillis(100));
      if (r != null && r.frame().getValue("body") instanceof JsonObject body
          && session.equals(body.getString("session"))) {
        return r.frame();
      }
    }
    throw new AssertionError("no event of " + session + " within " + within);
  }
}
