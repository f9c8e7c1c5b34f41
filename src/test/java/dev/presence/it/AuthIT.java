package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The auth matrix against a real node that requires HS256 tokens with an issuer and an audience: every bad
 * token is answered {@code error unauthorized} and close 1008 with no session created; a valid one makes the
 * token's {@code sub} the user; a session whose token expires is closed with 4003 unless it refreshed in
 * time; a browser origin not on the allowlist gets 403 before the upgrade.
 */
class AuthIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final String ISSUER = "https://id.presence.test";
  static final String AUDIENCE = "presence";
  static final String ALLOWED_ORIGIN = "https://chat.presence.test";

  static TestCluster cluster;
  static Vertx vertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    AuthSettings auth = new AuthSettings(AuthMode.JWT, Tokens.SECRET, null, "RS256", ISSUER, AUDIENCE, "roles",
        List.of(ALLOWED_ORIGIN), false, null);
    cluster = TestCluster.start(1, new TestCluster.Timings(10_000, 30_000, 60_000, 5_000),
        c -> c.with(auth, c.limits()));
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    cluster.close();
  }

  static JsonObject claims(String sub, long ttlSeconds) {
    return Tokens.claims(sub, ttlSeconds).put("iss", ISSUER).put("aud", AUDIENCE);
  }

  static String token(String sub, long ttlSeconds) {
    return Tokens.hs256(Tokens.SECRET, claims(sub, ttlSeconds));
  }

  /** @return a token for {@code sub}, right in every way but without {@code exp} */
  static String tokenWithoutExp(String sub) {
    JsonObject claims = claims(sub, 600);
    claims.remove("exp");
    return Tokens.hs256(Tokens.SECRET, claims);
  }

  static Stream<Arguments> badHellos() {
    String otherKey = "another-secret-that-is-also-long-enough-0123";
    return Stream.of(
        Arguments.of("no token", new JsonObject().put("type", "hello").put("user", "eve")),
        Arguments.of("garbage", hello("not-a-jwt")),
        Arguments.of("alg none", hello(Tokens.unsigned(claims("eve", 600)))),
        Arguments.of("wrong key", hello(Tokens.hs256(otherKey, claims("eve", 600)))),
        Arguments.of("expired", hello(Tokens.hs256(Tokens.SECRET, claims("eve", -120)))),
        Arguments.of("not yet valid", hello(Tokens.hs256(Tokens.SECRET,
            claims("eve", 600).put("nbf", Tokens.nowSeconds() + 300)))),
        Arguments.of("wrong audience", hello(Tokens.hs256(Tokens.SECRET, claims("eve", 600).put("aud", "billing")))),
        Arguments.of("wrong issuer", hello(Tokens.hs256(Tokens.SECRET, claims("eve", 600).put("iss", "https://evil")))),
        Arguments.of("no sub", hello(Tokens.hs256(Tokens.SECRET, claims("eve", 600).putNull("sub")))),
        Arguments.of("no exp", hello(tokenWithoutExp("eve"))),
        Arguments.of("user does not match sub", hello(token("alice", 600)).put("user", "eve")),
        // RFC 8725 §2.8: a room token handed out for one room (an invitation link, say) is no login as its user.
        Arguments.of("a room token", hello(Tokens.hs256(Tokens.SECRET, claims("eve", 600).put("room", "#vip")))));
  }

  static JsonObject hello(String token) {
    return new JsonObject().put("type", "hello").put("token", token);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHellos")
  void a_bad_token_is_refused_with_unauthorized_and_1008_and_no_session_exists(String why, JsonObject hello)
      throws Exception {
    int before = PresenceHttp.sessions(cluster.adminPort(0)).size();
    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello.encode());
      JsonObject error = ws.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("unauthorized");
      assertThat(error.getString("message")).as("never echoes the token").doesNotContain("eyJ");
      assertThat(ws.awaitClose(WAIT).code()).isEqualTo(1008);
    }
    assertThat(PresenceHttp.sessions(cluster.adminPort(0))).hasSize(before);
  }

  @Test
  void a_valid_token_makes_its_sub_the_user_and_the_welcome_says_when_it_expires() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello(token("alice", 600)).put("nick", "Alice").encode());
      JsonObject welcome = ws.awaitType("welcome", WAIT);
      assertThat(welcome.getString("user")).isEqualTo("alice");
      assertThat(welcome.getString("nick")).isEqualTo("Alice");
      assertThat(welcome.getLong("expiresAt")).isBetween(System.currentTimeMillis() + 500_000,
          System.currentTimeMillis() + 600_000);
      assertThat(PresenceHttp.sessions(cluster.adminPort(0))).contains(welcome.getString("session"));
    }
  }

  @Test
  void a_bearer_header_on_the_upgrade_request_authenticates_a_hello_without_a_token() throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(cluster.port(0))
        .setURI("/ws").addHeader("Authorization", "Bearer " + token("bob", 600));
    WebSocket ws = client.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<JsonObject> welcome = new CompletableFuture<>();
    ws.textMessageHandler(text -> welcome.complete(new JsonObject(text)));
    ws.writeTextMessage("{\"type\":\"hello\"}");
    assertThat(welcome.get(10, TimeUnit.SECONDS).getString("user")).isEqualTo("bob");
    ws.close();
  }

  @Test
  void a_session_whose_token_expires_is_closed_with_4003() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello(token("carol", 2)).encode());
      String session = ws.awaitType("welcome", WAIT).getString("session");
      RawWebSocketClient.CloseInfo close = ws.awaitClose(WAIT);
      assertThat(close.code()).isEqualTo(4003);
      await().atMost(WAIT).until(() -> !PresenceHttp.sessions(cluster.adminPort(0)).contains(session));
    }
  }

  @Test
  void a_refresh_in_time_keeps_the_session_past_its_first_token() throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello(token("dave", 2)).encode());
      long firstExpiry = ws.awaitType("welcome", WAIT).getLong("expiresAt");
      ws.sendText(new JsonObject().put("type", "refresh").put("token", token("dave", 600)).encode());
      assertThat(ws.awaitType("refreshed", WAIT).getLong("expiresAt")).isGreaterThan(firstExpiry + 500_000);
      // A refresh naming another user is refused and changes nothing.
      ws.sendText(new JsonObject().put("type", "refresh").put("token", token("mallory", 600)).encode());
      assertThat(ws.awaitType("error", WAIT).getString("code")).isEqualTo("unauthorized");
      await().atMost(WAIT).until(() -> System.currentTimeMillis() > firstExpiry + 1_000);
      ws.sendText("{\"type\":\"ping\",\"seq\":1}");
      assertThat(ws.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(1);
    }
  }

  @Test
  void a_token_without_exp_is_refused_naming_exp_at_hello_and_at_refresh_where_it_leaves_the_deadline_alone()
      throws Exception {
    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello(tokenWithoutExp("erin")).encode());
      JsonObject error = ws.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("unauthorized");
      assertThat(error.getString("message")).contains("exp").doesNotContain("eyJ");
      assertThat(ws.awaitClose(WAIT).code()).isEqualTo(1008);
    }
    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello(token("erin", 2)).encode());
      ws.awaitType("welcome", WAIT);
      ws.sendText(new JsonObject().put("type", "refresh").put("token", tokenWithoutExp("erin")).encode());
      JsonObject error = ws.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("unauthorized");
      assertThat(error.getString("message")).contains("exp");
      // Before, such a refresh removed the deadline and the session never ended.
      assertThat(ws.awaitClose(WAIT).code()).isEqualTo(4003);
    }
  }

  @Test
  void a_browser_origin_not_on_the_allowlist_gets_403_before_the_upgrade() throws Exception {
    Throwable refused = connectFrom("https://evil.example").handle((ws, failure) -> failure).get(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(403);

    WebSocket allowed = connectFrom(ALLOWED_ORIGIN).get(10, TimeUnit.SECONDS);
    assertThat(allowed.isClosed()).isFalse();
    allowed.close();

    int bridgeStatus = vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, cluster.port(0),
            "127.0.0.1", "/eventbus/info")
        .compose(request -> request.putHeader("Origin", "https://evil.example").send())
        .map(response -> response.statusCode()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(bridgeStatus).as("the SockJS bridge is guarded too").isEqualTo(403);
  }

  private static CompletableFuture<WebSocket> connectFrom(String origin) {
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(cluster.port(0)).setURI("/ws")
        .addHeader("Origin", origin)).toCompletionStage().toCompletableFuture();
  }

  @Test
  void the_tokens_rooms_claim_decides_which_rooms_the_session_may_join() {
    String token = Tokens.hs256(Tokens.SECRET, claims("rita", 600)
        .put("rooms", new io.vertx.core.json.JsonArray(List.of("#ok", "team:*", "watch:#news"))));
    dev.presence.testing.TestSession rita = dev.presence.testing.TestSession.connect(client, cluster.port(0));
    rita.send(hello(token));
    rita.awaitType("welcome");

    rita.send(new JsonObject().put("type", "join").put("room", "#ok"));
    rita.awaitType("joined");
    rita.send(new JsonObject().put("type", "join").put("room", "team:blue"));
    rita.awaitNth("joined", 2);
    rita.send(new JsonObject().put("type", "join").put("room", "#news"));
    JsonObject watchOnly = rita.awaitType("error");
    assertThat(watchOnly.getString("code")).isEqualTo("room_forbidden");
    assertThat(watchOnly.getString("room")).isEqualTo("#news");
    rita.send(new JsonObject().put("type", "join").put("room", "#elsewhere"));
    assertThat(rita.awaitNth("error", 2).getString("code")).isEqualTo("room_forbidden");

    dev.presence.testing.TestSession sam = dev.presence.testing.TestSession.connect(client, cluster.port(0));
    sam.send(hello(Tokens.valid("sam")));
    sam.awaitType("welcome");
    sam.send(new JsonObject().put("type", "join").put("room", "#ok"));
    assertThat(sam.awaitType("error").getString("code")).as("a token without the claim grants no room")
        .isEqualTo("room_forbidden");

    // Watching (§12.1): a watch: entry or a join grant lets her watch; other rooms are refused one by one.
    rita.send(new JsonObject().put("type", "subscribe")
        .put("rooms", new io.vertx.core.json.JsonArray(List.of("#news", "team:red", "#secret"))));
    JsonObject refused = rita.awaitNth("error", 3);
    assertThat(refused.getString("code")).isEqualTo("room_forbidden");
    assertThat(refused.getString("room")).isEqualTo("#secret");
    await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rita.ofType("presence.state")
        .stream().map(m -> m.getString("room"))).contains("#news", "team:red", "#ok", "team:blue"));
    assertThat(rita.ofType("presence.state").stream().map(m -> m.getString("room"))).doesNotContain("#secret");
    sam.send(new JsonObject().put("type", "subscribe").put("rooms", new io.vertx.core.json.JsonArray(List.of("#ok"))));
    assertThat(sam.awaitNth("error", 2).getString("code")).as("no claim, no watching").isEqualTo("room_forbidden");
    rita.send(new JsonObject().put("type", "bye"));
    sam.send(new JsonObject().put("type", "bye"));
  }

  @Test
  void a_room_token_opens_its_one_room_to_its_one_user_and_may_reserve_the_room_nickname() {
    dev.presence.testing.TestSession tom = dev.presence.testing.TestSession.connect(client, cluster.port(0));
    tom.send(hello(Tokens.valid("tom"))); // no rooms claim: no room by grants
    tom.awaitType("welcome");
    String forVip = Tokens.hs256(Tokens.SECRET, claims("tom", 600).put("room", "#vip").put("nick", "Captain"));

    java.util.function.BiConsumer<JsonObject, Integer> refusedAsForbidden = (join, n) -> {
      tom.send(join);
      JsonObject error = tom.awaitNth("error", n);
      assertThat(error.getString("code")).as(join.encode()).isEqualTo("room_forbidden");
      assertThat(error.getString("room")).isEqualTo(join.getString("room"));
    };
    refusedAsForbidden.accept(new JsonObject().put("type", "join").put("room", "#vip"), 1);
    refusedAsForbidden.accept(new JsonObject().put("type", "join").put("room", "#other").put("token", forVip), 2);
    refusedAsForbidden.accept(new JsonObject().put("type", "join").put("room", "#vip")
        .put("token", Tokens.hs256(Tokens.SECRET, claims("uma", 600).put("room", "#vip"))), 3);
    refusedAsForbidden.accept(new JsonObject().put("type", "join").put("room", "#vip")
        .put("token", Tokens.hs256(Tokens.SECRET, claims("tom", -60).put("room", "#vip"))), 4);
    refusedAsForbidden.accept(new JsonObject().put("type", "join").put("room", "#vip")
        .put("token", Tokens.hs256("another-secret-that-is-long-enough-0123456789", claims("tom", 600)
            .put("room", "#vip"))), 5);
    tom.send(new JsonObject().put("type", "join").put("room", "#vip").put("token", forVip).put("nick", "Pirate"));
    assertThat(tom.awaitNth("error", 6).getString("code")).as("the token reserves another nickname")
        .isEqualTo("nick_invalid");

    tom.send(new JsonObject().put("type", "join").put("room", "#vip").put("token", forVip));
    JsonObject joined = tom.awaitType("joined");
    assertThat(joined.getString("room")).isEqualTo("#vip");
    assertThat(joined.getString("nick")).isEqualTo("Captain");
    tom.send(new JsonObject().put("type", "bye"));
  }
}
