package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol as a client on one node of a two-node cluster sees it, and what the other node reports. */
class ProtocolIT {

  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new TestCluster.Timings(10_000, 30_000, 60_000, 5_000));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void a_client_joins_claims_a_nick_pings_lists_and_leaves_and_the_other_node_sees_each_step() throws Exception {
    TestSession alice = TestSession.connect(client, cluster.port(0));
    alice.send(new JsonObject().put("type", "hello").put("user", "alice"));
    JsonObject welcome = alice.awaitType("welcome");
    assertThat(welcome.getString("user")).isEqualTo("alice");
    assertThat(welcome.getValue("nick")).isNull();
    assertThat(welcome.getString("node")).isEqualTo(cluster.node(0).nodeId());
    assertThat(welcome.getLong("heartbeatMs")).isEqualTo(10_000L);
    assertThat(welcome.getLong("timeoutMs")).isEqualTo(30_000L);
    String session = welcome.getString("session");
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).contains(session);

    alice.send(new JsonObject().put("type", "nick").put("nick", "Ａｌｉｃｅ"));
    JsonObject nickOk = alice.awaitType("nick.ok");
    assertThat(nickOk.getString("nick")).isEqualTo("Alice");
    assertThat(nickOk.getLong("fencingToken")).isPositive();
    PresenceHttp.Response lease = PresenceHttp.nickname(cluster.adminPort(1), "ALICE");
    assertThat(lease.status()).isEqualTo(200);
    assertThat(lease.body().getString("session")).isEqualTo(session);
    assertThat(lease.body().getString("state")).isEqualTo("held");
    assertThat(lease.body().getLong("fencingToken")).isEqualTo(nickOk.getLong("fencingToken"));

    alice.send(new JsonObject().put("type", "ping").put("seq", 42));
    assertThat(alice.awaitType("pong").getInteger("seq")).isEqualTo(42);

    alice.send(new JsonObject().put("type", "who"));
    JsonObject who = alice.awaitType("who");
    assertThat(who.getBoolean("truncated")).isFalse();
    assertThat(who.getJsonArray("sessions").stream().map(JsonObject.class::cast))
        .anySatisfy(s -> {
          assertThat(s.getString("session")).isEqualTo(session);
          assertThat(s.getString("nick")).isEqualTo("Alice");
          assertThat(s.getString("user")).isEqualTo("alice");
        });

    alice.send(new JsonObject().put("type", "release"));
    alice.awaitType("nick.released");
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "alice").status()).isEqualTo(404);

    alice.send(new JsonObject().put("type", "nick").put("nick", "alice2"));
    alice.awaitNth("nick.ok", 2);
    alice.send(new JsonObject().put("type", "bye"));
    assertThat(alice.awaitClose(Duration.ofSeconds(5))).isEqualTo((short) 1000);
    // bye frees the nickname at once, for anyone.
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "alice2").status()).isEqualTo(404);
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> !PresenceHttp.sessions(cluster.adminPort(1)).contains(session));
    JsonObject offline = PresenceHttp.get(cluster.adminPort(1), "/presence/users/alice").body();
    assertThat(offline.getBoolean("online")).as("the user-level view after the last session left").isFalse();
    assertThat(offline.getLong("lastSeen")).isNotNull();
  }

  @Test
  void a_nick_given_in_hello_is_claimed_with_the_welcome_and_a_taken_one_is_reported_after_it() {
    TestSession first = TestSession.hello(client, cluster.port(0), "carol", "Carol");
    assertThat(first.awaitType("welcome").getString("nick")).isEqualTo("Carol");

    TestSession second = TestSession.hello(client, cluster.port(1), "dave", "carol");
    assertThat(second.awaitType("welcome").getValue("nick")).isNull();
    assertThat(second.awaitType("error").getString("code")).isEqualTo("nick_taken");

    second.send(new JsonObject().put("type", "nick").put("nick", "bad nick!"));
    assertThat(second.awaitNth("error", 2).getString("code")).isEqualTo("nick_invalid");
    // A look-alike is the same nickname (capital I for the small l); a Cyrillic С (U+0421) mixes scripts.
    second.send(new JsonObject().put("type", "nick").put("nick", "CaroI"));
    assertThat(second.awaitNth("error", 3).getString("code")).isEqualTo("nick_taken");
    second.send(new JsonObject().put("type", "nick").put("nick", "\u0421arol"));
    assertThat(second.awaitNth("error", 4).getString("code")).isEqualTo("nick_invalid");
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "CaroI").body().getString("nick")).isEqualTo("Carol");
    assertThat(PresenceHttp.get(cluster.adminPort(0), "/presence/users/carol").body().getJsonArray("sessions"))
        .hasSize(1);
    assertThat(cluster.uncaught()).isEmpty();
  }

  @Test
  void a_nick_claimed_in_the_same_breath_as_bye_is_released_with_the_session_not_left_held() throws Exception {
    TestSession hasty = TestSession.hello(client, cluster.port(0), "hasty", null);
    // No waiting for nick.ok: the claim is still in flight when bye arrives.
    hasty.send(new JsonObject().put("type", "nick").put("nick", "Hasty"));
    hasty.send(new JsonObject().put("type", "bye"));
    assertThat(hasty.awaitClose(Duration.ofSeconds(5))).isEqualTo((short) 1000);
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "hasty").status()).isEqualTo(404);
  }

  @Test
  void health_reports_the_member_and_the_cluster_size() {
    PresenceHttp.Response health = PresenceHttp.get(cluster.adminPort(1), "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().getString("node")).isEqualTo(cluster.node(1).nodeId());
    assertThat(health.body().getInteger("clusterSize")).isEqualTo(2);
    assertThat(PresenceHttp.get(cluster.adminPort(1), "/presence?limit=0").status()).isEqualTo(400);
    assertThat(PresenceHttp.get(cluster.adminPort(1), "/nicknames/a%20b").status()).isEqualTo(400);
  }
}
