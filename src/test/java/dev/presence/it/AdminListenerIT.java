package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.AdminSettings;
import dev.presence.config.AuthSettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.Tokens;
import dev.presence.transport.HttpPaths;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trust boundary between the public listener and the admin listener (docs/security.md, "What is exposed
 * where"), attacked as a client of the service would: whoever reaches {@code /ws} tries every read path, health and
 * metrics there; then, on the admin port, without a credential, with a wrong key, with a user's token, and with each
 * of two rotated keys and an admin token. One JWT-mode node with two API keys; alice is online with a nickname, so a
 * leak would show her.
 */
class AdminListenerIT {

  /** Every read API path, and the ones a probe or scraper uses. */
  private static final List<String> READ_PATHS = List.of(HttpPaths.PRESENCE, HttpPaths.PRESENCE + "?limit=1000",
      HttpPaths.PRESENCE + "/users/alice", HttpPaths.NICKNAMES + "/Alice", HttpPaths.ROOMS,
      HttpPaths.ROOMS + "/lobby");
  private static final List<String> OPEN_PATHS = List.of(HttpPaths.HEALTH, HttpPaths.LIVE, HttpPaths.READY,
      HttpPaths.METRICS);

  private static TestCluster cluster;
  private static Vertx clientVertx;
  private static TestSession alice;

  @BeforeAll
  static void start() {
    AuthSettings tokens = AuthSettings.hs256(Tokens.SECRET, Tokens.ISSUER, Tokens.AUDIENCE);
    cluster = TestCluster.start(1, TestCluster.Timings.DEFAULTS, c -> c.with(tokens, TestCluster.GENEROUS_LIMITS)
        .with(new AdminSettings("127.0.0.1", 0, List.of(PresenceHttp.API_KEY, PresenceHttp.SECOND_API_KEY))));
    clientVertx = Vertx.vertx();
    alice = TestSession.await(TestSession.open(clientVertx.createWebSocketClient(), cluster.port(0)));
    alice.send(new JsonObject().put("type", "hello").put("token", Tokens.valid("alice")).put("nick", "Alice"));
    assertThat(alice.awaitType("welcome").getString("nick")).isEqualTo("Alice");
  }

  @AfterAll
  static void stop() {
    clientVertx.close().await();
    cluster.close();
  }

  @Test
  void the_public_port_answers_404_to_every_read_path_health_and_metrics_and_leaks_nothing() {
    int publicPort = cluster.port(0);
    for (String path : concat(READ_PATHS, OPEN_PATHS)) {
      for (String authorization : new String[] {null, "Bearer " + PresenceHttp.API_KEY}) {
        HttpResponse<String> response = PresenceHttp.raw(publicPort, path, authorization);
        assertThat(response.statusCode()).as("%s on the public port (credential: %s)", path, authorization != null)
            .isEqualTo(404);
        assertThat(response.body()).as(path).doesNotContain("alice").doesNotContain("Alice")
            .doesNotContain(alice.sessionId()).doesNotContain("presence_").doesNotContain("clusterSize");
      }
    }
  }

  @Test
  void the_read_api_without_a_credential_or_with_a_wrong_key_is_401_with_a_bearer_challenge() {
    int admin = cluster.adminPort(0);
    String wrongKey = PresenceHttp.API_KEY.substring(1) + "x"; // as long as a real key, one character off
    for (String path : READ_PATHS) {
      for (String authorization : new String[] {null, "Bearer " + wrongKey, "Bearer ", "Basic " + wrongKey,
          "Service " + PresenceHttp.API_KEY, "Bearer " + Tokens.hs256("another-secret-of-the-wrong-issuer-0123",
              Tokens.claims("mallory", 600).put("roles", new io.vertx.core.json.JsonArray().add("presence-admin")))}) {
        HttpResponse<String> response = PresenceHttp.raw(admin, path, authorization);
        assertThat(response.statusCode()).as("%s with %s", path, authorization).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).as(path)
            .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        JsonObject body = new JsonObject(response.body());
        assertThat(body.fieldNames()).as("the read API's error shape").containsExactly("error");
        assertThat(response.body()).doesNotContain("alice").doesNotContain(alice.sessionId());
      }
    }
  }

  @Test
  void each_of_two_configured_keys_reads_so_keys_can_be_rotated() {
    for (String key : List.of(PresenceHttp.API_KEY, PresenceHttp.SECOND_API_KEY)) {
      HttpResponse<String> sessions = PresenceHttp.raw(cluster.adminPort(0), HttpPaths.PRESENCE, "Bearer " + key);
      assertThat(sessions.statusCode()).isEqualTo(200);
      assertThat(sessions.body()).contains(alice.sessionId());
      HttpResponse<String> nick = PresenceHttp.raw(cluster.adminPort(0), HttpPaths.NICKNAMES + "/alice",
          "bearer " + key);
      assertThat(nick.statusCode()).as("the scheme is case-insensitive (RFC 9110 §11.1)").isEqualTo(200);
    }
  }

  @Test
  void a_user_token_without_the_admin_role_is_403_and_an_admin_token_reads() {
    for (String path : READ_PATHS) {
      HttpResponse<String> user = PresenceHttp.raw(cluster.adminPort(0), path, "Bearer " + Tokens.valid("alice"));
      assertThat(user.statusCode()).as(path).isEqualTo(403);
      assertThat(new JsonObject(user.body()).getString("error")).contains("presence-admin");
    }
    String adminToken = Tokens.withRoles("ops", "presence-admin");
    HttpResponse<String> sessions = PresenceHttp.raw(cluster.adminPort(0), HttpPaths.PRESENCE, "Bearer " + adminToken);
    assertThat(sessions.statusCode()).isEqualTo(200);
    assertThat(sessions.body()).contains(alice.sessionId());
    assertThat(PresenceHttp.raw(cluster.adminPort(0), HttpPaths.PRESENCE + "/users/alice", "Bearer " + adminToken)
        .statusCode()).isEqualTo(200);
  }

  @Test
  void health_and_metrics_answer_on_the_admin_port_without_a_credential() {
    for (String path : OPEN_PATHS) {
      assertThat(PresenceHttp.raw(cluster.adminPort(0), path, null).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(PresenceHttp.raw(cluster.adminPort(0), HttpPaths.METRICS, null).body()).contains("presence_sessions");
    assertThat(cluster.uncaught()).isEmpty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
