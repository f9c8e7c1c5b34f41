package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.cluster.ClusterNames;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.presence.NickFates;
import dev.presence.presence.PresenceChannel;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceMetrics;
import dev.presence.presence.PresenceStores;
import dev.presence.presence.RoomMemberships;
import dev.presence.presence.RoomNickLeases;
import dev.presence.presence.SessionEnd;
import dev.presence.session.LeaveReason;
import dev.presence.testing.ContextCalls;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live session whose cluster state is lost is re-asserted, never closed: a healed split's merge discards the
 * merging side's presence entries, and a node that cannot hear another one evicts its sessions; either way the owner
 * still holds a connection whose client it heard within the heartbeat timeout. The session comes back (a join, no
 * close), its nickname is taken back when it is still its own and told lost when another session holds it now.
 */
class SessionRestoreIT {

  static final Duration WAIT = Duration.ofSeconds(15);
  static final long GRACE_MS = 30_000;

  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient ws;
  static final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(2, new TestCluster.Timings(1_000, 3_000, GRACE_MS, 5_000));
    MessageConsumer<JsonObject> consumer = cluster.node(1).runtime().vertx().eventBus()
        .consumer(ClusterNames.EVENTS_ADDRESS, m -> events.add(m.body()));
    consumer.completion().toCompletionStage().toCompletableFuture().get();
    clientVertx = Vertx.vertx();
    ws = clientVertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    clientVertx.close();
    cluster.close();
  }

  static List<String> eventsOf(String session) {
    return events.stream().filter(e -> session.equals(e.getString("session"))).map(e -> e.getString("event"))
        .toList();
  }

  /** Asks node 0 to re-check its leases now, as a merge or a quorum change does. */
  static void recheckOnOwner() {
    cluster.node(0).runtime().vertx().eventBus().publish(ClusterNames.LOCAL_LEASE_RECHECK_ADDRESS, null,
        new DeliveryOptions().setLocalOnly(true));
  }

  static PresenceEntry entryOf(String session) {
    Vertx vertx = cluster.node(1).runtime().vertx();
    return ContextCalls.call(vertx, () -> cluster.node(1).runtime().presenceStore().get(session)).orElseThrow();
  }

  @Test
  void a_session_whose_entry_a_merge_discarded_comes_back_with_its_nickname_and_is_never_closed() {
    TestSession alice = TestSession.hello(ws, cluster.port(0), "alice", "Alice");
    String session = alice.sessionId();
    Vertx vertx = cluster.node(1).runtime().vertx();

    // What the merge does to the merging side: the entry is gone, and nobody published a leave.
    ContextCalls.call(vertx, () -> cluster.node(1).runtime().presenceStore().remove(session));
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).doesNotContain(session);
    recheckOnOwner();

    await().atMost(WAIT).until(() -> PresenceHttp.sessions(cluster.adminPort(1)).contains(session));
    await().atMost(WAIT).until(() -> eventsOf(session).contains("join") && eventsOf(session).size() >= 3);
    assertThat(eventsOf(session)).containsExactly("join", "nick", "join").doesNotContain("leave");
    assertThat(alice.isClosed()).isFalse();
    assertThat(alice.ofType("nick.lost")).isEmpty();
    JsonObject lease = PresenceHttp.nickname(cluster.adminPort(1), "Alice").body();
    assertThat(lease.getString("session")).isEqualTo(session);
    assertThat(lease.getString("state")).isEqualTo("held");
    assertThat(entryOf(session).nick()).isEqualTo("Alice");
  }

  @Test
  void a_live_session_evicted_by_a_node_that_could_not_hear_it_comes_back_and_takes_back_its_grace() {
    TestSession bob = TestSession.hello(ws, cluster.port(0), "bob", "Bob");
    String session = bob.sessionId();
    long tokenBefore = PresenceHttp.nickname(cluster.adminPort(1), "Bob").body().getLong("fencingToken");

    // Node 1 judges node 0's session stale, as a sweep during a pause or a partition does.
    Vertx vertx = cluster.node(1).runtime().vertx();
    PresenceStores stores = cluster.node(1).runtime().stores();
    PresenceChannel channel = cluster.node(1).runtime().channel();
    NickFates fates = new NickFates(stores.nicknames(), GRACE_MS, 3);
    SessionEnd ends = new SessionEnd(stores, channel, PresenceMetrics.NONE, InstantSource.system(), fates, 600_000,
        new RoomMemberships(stores, channel, PresenceMetrics.NONE, InstantSource.system(), "node-1", 10_000, 100,
            new RoomNickLeases(stores, fates, channel, InstantSource.system(), "node-1", 30_000)));
    PresenceEntry read = entryOf(session);
    ContextCalls.call(vertx, () -> ends.evict(List.of(read), LeaveReason.EXPIRED));

    await().atMost(WAIT).until(() -> eventsOf(session).contains("leave"));
    await().atMost(WAIT).until(() -> eventsOf(session).lastIndexOf("join") > eventsOf(session).indexOf("leave"));
    assertThat(eventsOf(session).stream().filter("leave"::equals)).hasSize(1);
    assertThat(bob.isClosed()).isFalse();
    await().atMost(WAIT).untilAsserted(() -> {
      JsonObject lease = PresenceHttp.nickname(cluster.adminPort(1), "Bob").body();
      assertThat(lease.getString("state")).isEqualTo("held");
      assertThat(lease.getString("session")).isEqualTo(session);
      assertThat(lease.getLong("fencingToken")).as("a new grant after the grace").isGreaterThan(tokenBefore);
    });
    assertThat(bob.ofType("nick.lost")).isEmpty();
    assertThat(PresenceHttp.sessions(cluster.adminPort(1))).contains(session);
  }

  @Test
  void a_nickname_another_session_holds_by_now_is_told_lost_and_the_session_stays() {
    TestSession carol = TestSession.hello(ws, cluster.port(0), "carol", "Carol");
    String session = carol.sessionId();
    Vertx vertx = cluster.node(1).runtime().vertx();
    long now = System.currentTimeMillis();

    // While carol's node was cut off, her lease ran out and another user got the nickname.
    String key = ((NicknameCheck.Valid) NicknameRules.check("Carol")).key();
    ContextCalls.call(vertx, () -> cluster.node(1).runtime().nicknameStore().release(key, session, now));
    TestSession dave = TestSession.hello(ws, cluster.port(1), "dave", "Carol");
    assertThat(dave.awaitType("welcome").getString("nick")).isEqualTo("Carol");
    ContextCalls.call(vertx, () -> cluster.node(1).runtime().presenceStore().remove(session));
    recheckOnOwner();

    assertThat(carol.awaitType("nick.lost").getString("nick")).isEqualTo("Carol");
    await().atMost(WAIT).until(() -> PresenceHttp.sessions(cluster.adminPort(1)).contains(session));
    assertThat(carol.isClosed()).isFalse();
    assertThat(PresenceHttp.nickname(cluster.adminPort(1), "Carol").body().getString("session"))
        .isEqualTo(dave.sessionId());
    await().atMost(WAIT).untilAsserted(() -> assertThat(entryOf(session).nick()).isNull());
  }
}
