package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.PresenceNode;
import dev.presence.config.AuthSettings;
import dev.presence.testing.FreePorts;
import dev.presence.testing.JwksServer;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.SigningKey;
import dev.presence.testing.TestCluster;
import dev.presence.testing.Tokens;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real node whose tokens come from an identity provider's key set ({@code PRESENCE_JWT_JWKS_URL}), served by a real
 * HTTP server in the test ({@link JwksServer}): sessions join with tokens of any key of the set; after the provider
 * rotates, a token of the new key joins after one refetch, and a client that pipelines after its hello meanwhile is
 * served as usual; a provider that is down leaves known keys working; a node that cannot fetch the set does not
 * start, and never joins the cluster.
 */
class JwksIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  /** The shortest refresh interval the node accepts, so a test can wait one out. */
  static final long REFRESH_MS = AuthSettings.MIN_JWKS_REFRESH_MS;

  static final SigningKey RSA_1 = SigningKey.rs256("rsa-1");
  static final SigningKey EC_1 = SigningKey.es256("ec-1");

  static JwksServer provider;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    provider = JwksServer.start(RSA_1, EC_1);
    AuthSettings auth = AuthSettings.jwks(provider.url(), REFRESH_MS, Tokens.ISSUER, Tokens.AUDIENCE);
    cluster = TestCluster.start(1, TestCluster.Timings.DEFAULTS, c -> c.with(auth, c.limits()));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    provider.close();
  }

  @BeforeEach
  void providerServesTheFirstKeys() {
    provider.delayAnswers(0);
    provider.answerWith(200);
    provider.serve(RSA_1, EC_1);
  }

  static JsonObject hello(String token) {
    return new JsonObject().put("type", "hello").put("token", token);
  }

  /** Waits out the refresh interval, so whatever an earlier test fetched does not hold this test's fetch back. */
  static void intervalPasses() throws InterruptedException {
    Thread.sleep(REFRESH_MS + 100);
  }

  @Test
  void sessions_join_with_tokens_of_every_key_of_the_set() throws Exception {
    for (SigningKey key : List.of(RSA_1, EC_1)) {
      try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
        ws.sendText(hello(key.sign(Tokens.claims("alice", 600))).encode());
        JsonObject welcome = ws.awaitType("welcome", WAIT);
        assertThat(welcome.getString("user")).as(key.kid()).isEqualTo("alice");
        assertThat(PresenceHttp.sessions(cluster.adminPort(0))).contains(welcome.getString("session"));
      }
    }
  }

  @Test
  void after_a_rotation_a_token_of_the_new_key_joins_after_one_refetch_while_pipelined_requests_are_served()
      throws Exception {
    SigningKey next = SigningKey.rs256("rsa-next-" + System.nanoTime());
    provider.serve(RSA_1, EC_1, next);
    intervalPasses();
    provider.delayAnswers(500); // the hello waits for the key set; the client does not
    int before = provider.requests();

    try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
      ws.sendText(hello(next.sign(Tokens.claims("bob", 600))).put("nick", "Bob").encode());
      ws.sendText("{\"type\":\"ping\",\"seq\":7}");
      ws.sendText("{\"type\":\"who\"}");
      List<String> types = new ArrayList<>();
      JsonObject welcome = null;
      while (!types.contains("who")) {
        JsonObject message = ws.readJson(WAIT);
        types.add(message.getString("type"));
        welcome = "welcome".equals(message.getString("type")) ? message : welcome;
      }
      assertThat(types).as("no error, the who answered after the welcome").doesNotContain("error")
          .containsSubsequence("welcome", "who").contains("pong");
      assertThat(welcome.getString("user")).isEqualTo("bob");
      assertThat(welcome.getString("nick")).isEqualTo("Bob");

      // A refresh with a token of the same new key needs no fetch.
      ws.sendText(new JsonObject().put("type", "refresh").put("token", next.sign(Tokens.claims("bob", 1_200)))
          .encode());
      assertThat(ws.awaitType("refreshed", WAIT).getLong("expiresAt")).isGreaterThan(welcome.getLong("expiresAt"));
    }
    assertThat(provider.requests() - before).as("one refetch").isEqualTo(1);
  }

  @Test
  void while_the_provider_is_down_known_keys_keep_working_and_an_unknown_one_is_refused() throws Exception {
    intervalPasses();
    provider.stop();
    try {
      try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
        ws.sendText(hello(SigningKey.rs256("rsa-unknown").sign(Tokens.claims("eve", 600))).encode());
        JsonObject error = ws.awaitType("error", WAIT);
        assertThat(error.getString("code")).isEqualTo("unauthorized");
        assertThat(error.getString("message")).doesNotContain("eyJ").doesNotContain("rsa-unknown");
        assertThat(ws.awaitClose(WAIT).code()).isEqualTo(1008);
      }
      try (RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT)) {
        ws.sendText(hello(EC_1.sign(Tokens.claims("carol", 600))).encode());
        assertThat(ws.awaitType("welcome", WAIT).getString("user")).isEqualTo("carol");
      }
    } finally {
      provider.restart();
    }
  }

  @Test
  void a_node_that_cannot_fetch_its_key_set_refuses_to_start_naming_the_setting_and_never_joins() throws Exception {
    String unreachable = "http://127.0.0.1:" + FreePorts.next() + "/certs";
    AuthSettings auth = AuthSettings.jwks(unreachable, REFRESH_MS, Tokens.ISSUER, Tokens.AUDIENCE);

    Throwable refused = PresenceNode.start(cluster.node(0).config().withHttpPort(FreePorts.next())
            .with(auth, cluster.node(0).config().limits()))
        .toCompletionStage().toCompletableFuture().handle((node, failure) -> failure).get(30, TimeUnit.SECONDS);

    assertThat(refused).isNotNull().hasMessageContaining("PRESENCE_JWT_JWKS_URL").hasMessageContaining(unreachable);
    assertThat(cluster.node(0).runtime().clusterSize()).as("it never joined the cluster").isEqualTo(1);
  }
}
