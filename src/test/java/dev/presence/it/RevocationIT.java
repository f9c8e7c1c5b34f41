package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.api.PresenceClient;
import dev.presence.config.AuthSettings;
import dev.presence.testing.BridgeClient;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.Tokens;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kick is a ban when it asks for one (issue 14 §4, docs/security.md "Revocation"), on a real two-node cluster in
 * JWT mode: a kicked user who reconnects at once with the same token, on either node, is refused; so is a fresh token
 * of a revoked user, a revoked token at {@code refresh}, and on a bridge frame; a token revoked by {@code jti} is
 * refused while another token of its user works, and the sessions running on it close on every node while the
 * user's others stay; the same token works again once the revocation ends; only an admin
 * or a trusted service may revoke; a malformed request is a {@code bad_request}.
 */
class RevocationIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS,
        c -> c.with(AuthSettings.hs256(Tokens.SECRET, Tokens.ISSUER, Tokens.AUDIENCE), TestCluster.GENEROUS_LIMITS));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void a_user_kicked_with_a_revocation_cannot_come_back_on_either_node_until_it_ends() throws Exception {
    String token = Tokens.valid("mallory");
    try (RawWebSocketClient before = hello(0, token)) {
      assertThat(before.awaitType("welcome", WAIT).getString("user")).isEqualTo("mallory");

      JsonObject reply = kick(1, new JsonObject().put("user", "mallory").put("revokeForMs", 6_000), admin());
      assertThat(reply.getInteger("kicked")).isEqualTo(1);
      assertThat(reply.getJsonObject("revoked").getString("user")).isEqualTo("mallory");
      assertThat(reply.getJsonObject("revoked").getLong("until")).isGreaterThan(System.currentTimeMillis());
      assertThat(before.awaitClose(WAIT).code()).as("the kick still closes").isEqualTo(4004);
    }
    for (int node : List.of(0, 1)) {
      assertRefusedAsRevoked(node, token);
      assertRefusedAsRevoked(node, Tokens.valid("mallory")); // a fresh token of a banned user too
      assertThat(PresenceHttp.metrics(cluster.adminPort(node))).as("refusals counted on node " + node)
          .contains("presence_refusals_total{code=\"revoked\"");
    }
    // presence.kick is a point-to-point address served by every node: whichever answered wrote and counted it.
    assertThat(PresenceHttp.metrics(cluster.adminPort(0)) + PresenceHttp.metrics(cluster.adminPort(1)))
        .as("the revocation counted by the node that wrote it").contains("presence_revocations_total{kind=\"user\"");
    // The revocation ends by itself (Hazelcast's TTL), and the same token opens a session again.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> welcomed(1, token));
  }

  @Test
  void a_token_revoked_by_jti_is_refused_everywhere_while_the_users_other_tokens_work() throws Exception {
    String jti = UUID.randomUUID().toString();
    String leaked = Tokens.hs256(Tokens.SECRET, Tokens.claims("trent", 3_600).put("jti", jti));
    String other = Tokens.hs256(Tokens.SECRET, Tokens.claims("trent", 3_600).put("jti", UUID.randomUUID().toString()));

    JsonObject reply = kick(0, new JsonObject().put("jti", jti).put("revokeForMs", 60_000), admin());
    assertThat(reply.getJsonObject("revoked").getString("jti")).isEqualTo(jti);

    assertRefusedAsRevoked(1, leaked);
    try (RawWebSocketClient ws = hello(0, other)) {
      assertThat(ws.awaitType("welcome", WAIT).getString("user")).isEqualTo("trent");
      // refresh: the revoked token is refused; the session runs on, on the token it has
      ws.sendText(new JsonObject().put("type", "refresh").put("token", leaked).encode());
      JsonObject error = ws.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("unauthorized");
      assertThat(error.getString("message")).contains("the token is revoked");
    }
    // a bridge frame carrying it: refused like any bad token
    try (BridgeClient bridge = BridgeClient.connect(cluster.port(0))) {
      bridge.sendFrame(new JsonObject().put("type", "send").put("address", "presence.query")
          .put("body", new JsonObject().put("by", "members")).put("replyAddress", "r-1")
          .put("headers", new JsonObject().put("authorization", "Bearer " + leaked)));
      BridgeClient.Received answer = bridge.poll(WAIT);
      assertThat(answer).isNotNull();
      assertThat(answer.frame().getString("body")).isEqualTo("rejected");
      bridge.sendFrame(new JsonObject().put("type", "send").put("address", "presence.query")
          .put("body", new JsonObject().put("by", "members")).put("replyAddress", "r-2")
          .put("headers", new JsonObject().put("authorization", "Bearer " + other)));
      assertThat(bridge.poll(WAIT).frame().getString("type")).isEqualTo("rec");
    }
  }

  @Test
  void a_jti_revocation_closes_the_open_sessions_running_on_that_token_on_every_node_and_no_other() throws Exception {
    String jti = UUID.randomUUID().toString();
    String leaked = Tokens.hs256(Tokens.SECRET, Tokens.claims("trudy", 3_600).put("jti", jti));
    String other = Tokens.hs256(Tokens.SECRET, Tokens.claims("trudy", 3_600).put("jti", UUID.randomUUID().toString()));
    try (RawWebSocketClient onA = hello(0, leaked); RawWebSocketClient onB = hello(1, leaked);
        RawWebSocketClient otherToken = hello(1, other); RawWebSocketClient refreshedAway = hello(0, leaked)) {
      for (RawWebSocketClient ws : List.of(onA, onB, otherToken, refreshedAway)) {
        assertThat(ws.awaitType("welcome", WAIT).getString("user")).isEqualTo("trudy");
      }
      // A session that opened with the leaked token but refreshed to another one runs on that one now.
      refreshedAway.sendText(new JsonObject().put("type", "refresh").put("token", other).encode());
      refreshedAway.awaitType("refreshed", WAIT);

      // Through PresenceClient's helper this time (the wire form is the test above's).
      PresenceClient.KickResult result = PresenceClient.create(cluster.node(1).runtime().vertx())
          .withBearerToken(admin()).revokeToken(jti, Duration.ofMinutes(1), "leaked")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(result.revoked().kind()).isEqualTo("jti");
      assertThat(result.revoked().value()).isEqualTo(jti);
      assertThat(result.revoked().untilMs()).isGreaterThan(System.currentTimeMillis() + 50_000);

      for (RawWebSocketClient ws : List.of(onA, onB)) {
        RawWebSocketClient.CloseInfo close = ws.awaitClose(WAIT);
        assertThat(close.code()).as("closed as kicked, on both nodes").isEqualTo(4004);
        assertThat(close.reason()).isEqualTo("kicked: leaked");
      }
      for (RawWebSocketClient ws : List.of(otherToken, refreshedAway)) {
        ws.sendText(new JsonObject().put("type", "ping").put("seq", 1).encode());
        assertThat(ws.awaitType("pong", WAIT).getInteger("seq")).as("still open").isEqualTo(1);
      }
    }
  }

  @Test
  void only_an_admin_or_a_service_may_revoke_and_a_malformed_revocation_is_a_bad_request() throws Exception {
    String own = Tokens.valid("victor");
    assertThat(kickFails(0, new JsonObject().put("user", "victor").put("revokeForMs", 60_000), own))
        .isEqualTo(403);
    assertThat(welcomed(0, own)).as("nothing was revoked").isTrue();
    for (JsonObject bad : List.of(new JsonObject().put("session", "s-1").put("revokeForMs", 60_000),
        new JsonObject().put("user", "victor").put("revokeForMs", -5),
        new JsonObject().put("user", "victor").put("revokeForMs", 8L * 24 * 3_600_000),
        new JsonObject().put("jti", "j-1"))) {
      assertThat(kickFails(0, bad, admin())).as(bad.encode()).isEqualTo(400);
    }
    assertThat(welcomed(1, own)).as("nothing was revoked").isTrue();
  }

  private static void assertRefusedAsRevoked(int node, String token) throws Exception {
    try (RawWebSocketClient ws = hello(node, token)) {
      JsonObject error = ws.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("unauthorized");
      assertThat(error.getString("message")).contains("revoked");
      assertThat(ws.awaitClose(WAIT).code()).isEqualTo(1008);
    }
  }

  private static boolean welcomed(int node, String token) throws Exception {
    try (RawWebSocketClient ws = hello(node, token)) {
      JsonObject first = ws.readJson(WAIT);
      return "welcome".equals(first.getString("type"));
    }
  }

  private static RawWebSocketClient hello(int node, String token) throws Exception {
    RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(node), "/ws", WAIT);
    ws.sendText(new JsonObject().put("type", "hello").put("token", token).encode());
    return ws;
  }

  private static String admin() {
    return Tokens.hs256(Tokens.SECRET, Tokens.claims("ops", 3_600).put("roles", new JsonArray().add("presence-admin")));
  }

  private static JsonObject kick(int node, JsonObject body, String bearer) throws Exception {
    return cluster.node(node).runtime().vertx().eventBus()
        .<JsonObject>request("presence.kick", body, new DeliveryOptions().addHeader("authorization", "Bearer " + bearer))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
  }

  private static int kickFails(int node, JsonObject body, String bearer) throws Exception {
    try {
      kick(node, body, bearer);
      throw new AssertionError("accepted: " + body.encode());
    } catch (ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
  }
}
