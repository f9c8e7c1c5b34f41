package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.EventBusTls;
import dev.presence.testing.BridgeClient;
import dev.presence.testing.ClusterCertificate;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.ServiceMember;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 14 §2 on the clustered event bus: a process that joins the Hazelcast cluster (as any pod
 * reaching port 5701 can) publishes {@code presence.evict} with reason {@code kicked} for a live session and a
 * forged {@code join} on {@code presence.events}. With the cluster certificate on every node
 * ({@code PRESENCE_CLUSTER_TLS_*}), a stranger without it, or with a certificate the cluster CA did not sign,
 * kicks nobody and reaches no subscriber, while a service holding the certificate still uses the bus. The
 * last test runs the same attack on a plain event bus and sees it succeed: what the setting prevents.
 */
class EventBusTrustIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<Vertx> members = new ArrayList<>();
  private final List<BridgeClient> bridges = new ArrayList<>();
  private final AtomicInteger probes = new AtomicInteger();
  private Vertx vertx;
  private WebSocketClient client;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    bridges.forEach(BridgeClient::close);
    members.forEach(m -> TestSession.await(m.close()));
    TestSession.await(vertx.close());
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void strangers_on_the_bus_kick_nobody_and_reach_no_subscriber_while_certificate_holders_use_it()
      throws Exception {
    EventBusTls clusterTls = ClusterCertificate.generate();
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS,
        c -> c.with(c.cluster().withEventBusTls(clusterTls)));
    BridgeClient events = subscribedBridge(cluster.port(1));
    TestSession alice = TestSession.hello(client, cluster.port(0), "alice", "Alice");

    for (EventBusTls strangerTls : Arrays.asList(null, ClusterCertificate.generate())) {
      Vertx stranger = join(strangerTls);
      stranger.eventBus().publish("presence.evict", new JsonObject().put("session", alice.sessionId())
          .put("reason", "kicked"));
      stranger.eventBus().publish("presence.events", forgedJoin());
    }

    // A service with the cluster certificate is answered, and a real event still reaches the subscriber.
    Vertx trusted = join(clusterTls);
    Message<Object> reply = TestSession.await(trusted.eventBus().request("presence.query",
        new JsonObject().put("by", "members")));
    assertThat(reply.body().toString()).contains("members");
    TestSession carol = TestSession.hello(client, cluster.port(0), "carol", null);
    List<JsonObject> seen = eventsUntilJoinOf(events, carol.sessionId());
    Awaitility.await("the stranger's messages had their chance").during(Duration.ofSeconds(2)).atMost(WAIT)
        .until(() -> {
          BridgeClient.Received r = events.poll(Duration.ofMillis(100));
          if (r != null) {
            seen.add(r.frame());
          }
          return !alice.isClosed();
        });

    assertThat(seen).noneMatch(frame -> frame.toString().contains("mallory"));
    assertThat(alice.isClosed()).isFalse();
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).contains(alice.sessionId());
  }

  @Test
  void on_a_plain_event_bus_the_same_stranger_kicks_and_forges_which_is_what_the_certificate_prevents()
      throws Exception {
    cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS);
    BridgeClient events = subscribedBridge(cluster.port(1));
    TestSession alice = TestSession.hello(client, cluster.port(0), "alice", "Alice");

    Vertx stranger = join(null);
    stranger.eventBus().publish("presence.evict", new JsonObject().put("session", alice.sessionId())
        .put("reason", "kicked"));
    stranger.eventBus().publish("presence.events", forgedJoin());

    assertThat(alice.awaitClose(WAIT)).isEqualTo((short) 4004);
    Awaitility.await("the forged join reaches the subscriber").atMost(WAIT).until(() -> {
      BridgeClient.Received r = events.poll(Duration.ofMillis(200));
      return r != null && r.frame().toString().contains("mallory");
    });
  }

  private Vertx join(EventBusTls tls) {
    Vertx member = ServiceMember.join(cluster, tls);
    members.add(member);
    return member;
  }

  private static JsonObject forgedJoin() {
    return new JsonObject().put("event", "join").put("session", "forged-session").put("user", "mallory")
        .put("nick", "mallory").put("node", "nowhere").put("at", System.currentTimeMillis());
  }

  private BridgeClient subscribedBridge(int port) throws Exception {
    BridgeClient bridge = BridgeClient.subscribedToEvents(port, () -> TestSession.hello(client, cluster.port(0),
        "probe-" + probes.incrementAndGet(), null).socket().close());
    bridges.add(bridge);
    return bridge;
  }

  /** @return every event frame that arrived up to and including {@code session}'s join */
  private static List<JsonObject> eventsUntilJoinOf(BridgeClient bridge, String session) throws InterruptedException {
    List<JsonObject> seen = new ArrayList<>();
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (System.currentTimeMillis() < deadline) {
      BridgeClient.Received r = bridge.poll(Duration.ofMillis(200));
      if (r == null) {
        continue;
      }
      seen.add(r.frame());
      JsonObject body = r.frame().getJsonObject("body");
      if (body != null && session.equals(body.getString("session")) && "join".equals(body.getString("event"))) {
        return seen;
      }
    }
    throw new AssertionError("no join of " + session + " within " + WAIT + "; saw " + seen);
  }
}
