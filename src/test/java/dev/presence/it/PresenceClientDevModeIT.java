package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.api.PresenceApiException;
import dev.presence.api.PresenceClient;
import dev.presence.auth.TokenMint;
import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.testing.ServiceMember;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes in development mode (no tokens) with a service credential: a bearer token cannot be verified there, so
 * it is refused with 401 even when it names an admin; the service credential still kicks. A fresh cluster also
 * shows that {@code members} lists nodes without sessions.
 */
class PresenceClientDevModeIT {

  private static final String SERVICE = "dev-mode-service-credential-0123456789";

  private TestCluster cluster;
  private Vertx service;
  private Vertx clients;

  @BeforeEach
  void start() {
    AuthSettings auth = new AuthSettings(AuthMode.NONE, null, null, "RS256", null, null, "roles", List.of(), false,
        SERVICE);
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS, c -> c.with(auth, TestCluster.GENEROUS_LIMITS));
    service = ServiceMember.join(cluster);
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    TestSession.await(clients.close());
    TestSession.await(service.close());
    cluster.close();
  }

  @Test
  void members_lists_every_node_even_without_sessions_and_not_the_lite_member() {
    List<PresenceClient.Member> members = TestSession.await(PresenceClient.create(service).members());

    assertThat(members).containsExactlyInAnyOrder(new PresenceClient.Member(cluster.node(0).nodeId(), 0),
        new PresenceClient.Member(cluster.node(1).nodeId(), 0));
    assertThat(cluster.node(0).runtime().clusterSize()).isEqualTo(2);
  }

  @Test
  void a_bearer_token_is_refused_with_401_and_the_service_credential_kicks() throws Exception {
    WebSocketClient ws = clients.createWebSocketClient();
    TestSession alice = TestSession.hello(ws, cluster.port(1), "alice", "Alice");
    String admin = TokenMint.mint("any-secret-since-nobody-can-check-it!!", "root", List.of("presence-admin"), 60,
        null, null);

    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> PresenceClient.create(service).withBearerToken(admin).kickUser("alice", null)
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertThat(((PresenceApiException) refused.getCause()).status()).isEqualTo(401);
    assertThat(alice.isClosed()).isFalse();

    PresenceClient.KickResult kicked = TestSession.await(
        PresenceClient.create(service).withServiceCredential(SERVICE).kickNick("alice", null));
    assertThat(kicked.sessions()).containsExactly(alice.sessionId());
    assertThat(alice.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 4004);
  }
}
