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
import dev.presence.testing.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event-bus API as another Vert.x application sees it: a separate clustered Vert.x instance, joined as a
 * Hazelcast lite member, runs {@link PresenceClient} against two presence nodes that require tokens and know a
 * service credential. Each test uses users of its own, so the tests share one cluster.
 */
class PresenceClientIT {

  static final String SECRET = "presence-client-it-secret-0123456789abcdef";
  static final String SERVICE = "service-credential-0123456789abcdef";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestCluster cluster;
  private static Vertx service;
  private static Vertx clients;
  private static WebSocketClient ws;
  private static PresenceClient anonymous;
  private static final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    AuthSettings auth = new AuthSettings(AuthMode.JWT, SECRET, null, "RS256", Tokens.ISSUER, Tokens.AUDIENCE, "roles",
        List.of(), false, SERVICE);
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS, c -> c.with(auth, TestCluster.GENEROUS_LIMITS));
    service = ServiceMember.join(cluster);
    clients = Vertx.vertx();
    ws = clients.createWebSocketClient();
    anonymous = PresenceClient.create(service);
    TestSession.await(anonymous.subscribe(events::add).ready());
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      TestSession.await(clients.close());
    }
    if (service != null) {
      TestSession.await(service.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void the_lite_member_is_not_counted_and_members_lists_both_nodes_with_their_session_counts() {
    String user = unique("counted");
    TestSession a = hello(0, user, null);
    TestSession b = hello(0, user, null);
    assertThat(cluster.node(0).runtime().clusterSize()).isEqualTo(2);
    assertThat(cluster.node(1).runtime().clusterSize()).isEqualTo(2);

    // Sessions of earlier tests may still be ending: compare counts with the lists until both agree.
    Awaitility.await("members agree with the node lists").atMost(WAIT).untilAsserted(() -> {
      List<PresenceClient.Member> members = await(anonymous.members());
      long onNode0 = await(anonymous.byNode(cluster.node(0).nodeId())).size();
      long onNode1 = await(anonymous.byNode(cluster.node(1).nodeId())).size();
      assertThat(members).containsExactlyInAnyOrder(new PresenceClient.Member(cluster.node(0).nodeId(), onNode0),
          new PresenceClient.Member(cluster.node(1).nodeId(), onNode1));
      assertThat(onNode0).isGreaterThanOrEqualTo(2);
    });
    a.socket().close();
    b.socket().close();
  }

  @Test
  void every_query_form_answers_for_the_whole_cluster() {
    String alice = unique("alice");
    String nick = unique("N");
    TestSession onNode0 = hello(0, alice, nick);
    TestSession onNode1 = hello(1, alice, null);

    assertThat(await(anonymous.byUser(alice))).extracting(PresenceClient.Session::session)
        .containsExactlyInAnyOrder(onNode0.sessionId(), onNode1.sessionId());
    PresenceClient.Session one = await(anonymous.bySession(onNode0.sessionId())).orElseThrow();
    assertThat(one.user()).isEqualTo(alice);
    assertThat(one.nick()).isEqualTo(nick);
    assertThat(one.node()).isEqualTo(cluster.node(0).nodeId());
    assertThat(await(anonymous.bySession("no-such-session"))).isEmpty();
    assertThat(await(anonymous.byNode(cluster.node(1).nodeId()))).extracting(PresenceClient.Session::session)
        .contains(onNode1.sessionId()).doesNotContain(onNode0.sessionId());

    PresenceClient.Nickname lease = await(anonymous.byNick(nick.toUpperCase())).orElseThrow();
    assertThat(lease.state()).isEqualTo("held");
    assertThat(lease.user()).isEqualTo(alice);
    assertThat(lease.session()).isEqualTo(onNode0.sessionId());
    assertThat(lease.fencingToken()).isPositive();
    assertThat(await(anonymous.byNick(unique("Free")))).isEmpty();
    assertThat(failure(anonymous.byNick("no spaces allowed")).status()).isEqualTo(400);
  }

  @Test
  void paging_through_all_sessions_visits_each_once_in_session_id_order() {
    String user = unique("pager");
    List<String> mine = List.of(hello(0, user, null).sessionId(), hello(1, user, null).sessionId(),
        hello(0, user, null).sessionId());
    List<String> seen = new java.util.ArrayList<>();
    String after = null;
    do {
      PresenceClient.Page page = await(anonymous.all(1, after));
      assertThat(page.sessions()).hasSizeLessThanOrEqualTo(1);
      page.sessions().forEach(s -> seen.add(s.session()));
      after = page.next();
    } while (after != null);
    assertThat(seen).containsAll(mine).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void malformed_queries_fail_with_400() throws Exception {
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("by", "everything"),
        new JsonObject().put("by", "all").put("limit", 0), new JsonObject().put("by", "all").put("limit", 1001),
        new JsonObject().put("by", "user"))) {
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> service.eventBus().request("presence.query", body).toCompletionStage().toCompletableFuture()
              .get(10, TimeUnit.SECONDS));
      assertThat(e.getCause()).as(body.encode()).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
      io.vertx.core.eventbus.ReplyException reply = (io.vertx.core.eventbus.ReplyException) e.getCause();
      assertThat(reply.failureCode()).as(body.encode()).isEqualTo(400);
      assertThat(reply.getMessage()).startsWith("bad_request: ");
    }
  }

  @Test
  void a_service_kick_by_session_closes_it_with_4004_and_the_reason_and_publishes_leave_kicked() throws Exception {
    String bob = unique("bob");
    String nick = unique("B");
    TestSession session = hello(1, bob, nick);
    awaitEvent(session.sessionId(), "join");

    PresenceClient.KickResult result = await(anonymous.withServiceCredential(SERVICE)
        .kickSession(session.sessionId(), "spamming the lobby"));

    assertThat(result.kicked()).isEqualTo(1);
    assertThat(result.sessions()).containsExactly(session.sessionId());
    assertThat(session.awaitClose(WAIT)).isEqualTo((short) 4004);
    assertThat(session.socket().closeReason()).isEqualTo("kicked: spamming the lobby");
    JsonObject leave = awaitEvent(session.sessionId(), "leave");
    assertThat(leave.getString("reason")).isEqualTo("kicked");
    // A kick frees the nickname at once (no grace period for the kicked user).
    Awaitility.await("nickname free").atMost(WAIT).untilAsserted(() ->
        assertThat(await(anonymous.byNick(nick))).isEmpty());
  }

  @Test
  void an_admin_token_kicks_every_session_of_a_user_on_every_node() throws Exception {
    String carol = unique("carol");
    TestSession first = hello(0, carol, null);
    TestSession second = hello(1, carol, null);
    PresenceClient admin = anonymous.withBearerToken(token("the-admin", "presence-admin"));

    PresenceClient.KickResult result = await(admin.kickUser(carol, null));

    assertThat(result.sessions()).containsExactlyInAnyOrder(first.sessionId(), second.sessionId());
    assertThat(first.awaitClose(WAIT)).isEqualTo((short) 4004);
    assertThat(second.awaitClose(WAIT)).isEqualTo((short) 4004);
    assertThat(first.socket().closeReason()).isEqualTo("kicked");
    Awaitility.await("sessions gone").atMost(WAIT).untilAsserted(() ->
        assertThat(await(anonymous.byUser(carol))).isEmpty());
  }

  @Test
  void a_user_token_kicks_its_own_session_by_nickname() throws Exception {
    String dave = unique("dave");
    String nick = unique("D");
    TestSession session = hello(0, dave, nick);

    PresenceClient.KickResult result = await(anonymous.withBearerToken(token(dave)).kickNick(nick, "moving on"));

    assertThat(result.sessions()).containsExactly(session.sessionId());
    assertThat(session.awaitClose(WAIT)).isEqualTo((short) 4004);
  }

  @Test
  void a_user_token_may_not_kick_another_user_and_nothing_is_kicked() {
    String erin = unique("erin");
    String nick = unique("E");
    TestSession session = hello(1, erin, nick);
    PresenceClient mallory = anonymous.withBearerToken(token(unique("mallory")));

    assertThat(failure(mallory.kickSession(session.sessionId(), null)).status()).isEqualTo(403);
    assertThat(failure(mallory.kickUser(erin, null)).code()).isEqualTo("forbidden");
    assertThat(failure(mallory.kickNick(nick, null)).status()).isEqualTo(403);

    assertThat(await(anonymous.bySession(session.sessionId()))).isPresent();
    assertThat(session.isClosed()).isFalse();
  }

  @Test
  void a_kick_without_a_valid_credential_fails_with_401_and_nothing_is_kicked() {
    TestSession session = hello(0, unique("frank"), null);

    assertThat(failure(anonymous.kickSession(session.sessionId(), null)).status()).isEqualTo(401);
    assertThat(failure(anonymous.withServiceCredential("not-the-service-credential-at-all")
        .kickSession(session.sessionId(), null)).status()).isEqualTo(401);
    assertThat(failure(anonymous.withBearerToken("not.a.jwt").kickSession(session.sessionId(), null)).code())
        .isEqualTo("unauthorized");
    assertThat(failure(anonymous.withBearerToken(TokenMint.mint("another-secret-of-at-least-32-bytes!!",
        "frank", List.of("presence-admin"), 60, Tokens.ISSUER, Tokens.AUDIENCE)).kickSession(session.sessionId(), null)).status())
        .isEqualTo(401);

    assertThat(await(anonymous.bySession(session.sessionId()))).isPresent();
    assertThat(session.isClosed()).isFalse();
  }

  @Test
  void a_malformed_kick_fails_with_400_and_kicking_nothing_is_not_an_error() {
    PresenceClient trusted = anonymous.withServiceCredential(SERVICE);
    assertThat(failure(trusted.kickSession("s", "x".repeat(101))).status()).isEqualTo(400);
    assertThat(failure(trusted.kickSession("s", "line\nbreak")).status()).isEqualTo(400);
    assertThat(await(trusted.kickSession("no-such-session", null)).kicked()).isZero();
  }

  // --- helpers

  /** A session on node {@code i}; hello carries a token for {@code user} (required once the WebSocket checks tokens). */
  private static TestSession hello(int i, String user, String nick) {
    TestSession session = TestSession.connect(ws, cluster.port(i));
    JsonObject hello = new JsonObject().put("type", "hello").put("user", user).put("token", token(user));
    if (nick != null) {
      hello.put("nick", nick);
    }
    session.send(hello);
    JsonObject welcome = session.awaitType("welcome");
    assertThat(welcome.getString("nick")).isEqualTo(nick);
    return session;
  }

  private static String token(String user, String... roles) {
    return TokenMint.mint(SECRET, user, List.of(roles), 600, Tokens.ISSUER, Tokens.AUDIENCE);
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonObject awaitEvent(String session, String event) {
    return Awaitility.await(event + " of " + session).atMost(WAIT).until(() -> events.stream()
        .filter(e -> session.equals(e.getString("session")) && event.equals(e.getString("event")))
        .findFirst().orElse(null), java.util.Objects::nonNull);
  }

  private static <T> T await(Future<T> future) {
    return TestSession.await(future);
  }

  private static PresenceApiException failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(PresenceApiException.class);
      return (PresenceApiException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a refusal");
  }
}
