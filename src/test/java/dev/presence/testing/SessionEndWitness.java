package dev.presence.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.cluster.ClusterNames;
import dev.presence.config.AuthSettings;
import dev.presence.config.LimitSettings;
import dev.presence.presence.UserSessionSlots;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * A two-node cluster set up to watch sessions end: clients connect to node 0 (the owner), and node 1 watches
 * from the other side: a subscriber on its {@code presence.events}, a listener counting the writes to {@code
 * presence.last-seen} through its member, its HTTP API and the session-slot map. The checks of one end come in
 * two steps: what the end must have done ({@link #assertOneLeave} and the nickname, slot and last-seen checks),
 * then that nothing else follows ({@link #assertNothingMore}). Users allowed {@link #SESSION_LIMIT} sessions
 * each, so a slot that is not released shows. Call from the test thread.
 */
public final class SessionEndWitness implements AutoCloseable {

  /** PRESENCE_MAX_SESSIONS_PER_USER of these nodes: small, so one leaked slot is a refused session. */
  public static final int SESSION_LIMIT = 2;
  /** Bound of every wait for something the cluster does by itself (generous: 2 cores, Hazelcast, timers). */
  public static final Duration WAIT = Duration.ofSeconds(20);
  /** Bound of the follow-ups of an end already seen (nickname, slot, last seen): they go out with the leave. */
  private static final Duration FOLLOW_UP = Duration.ofSeconds(5);

  private final TestCluster cluster;
  private final PresenceEventLog events;
  private final MapWriteLog lastSeen;
  private final MapWriteLog slotWrites;
  private final Vertx clientVertx = Vertx.vertx();
  private final WebSocketClient client = clientVertx.createWebSocketClient();
  private final boolean tokens;

  private SessionEndWitness(TestCluster cluster, boolean tokens) {
    this.cluster = cluster;
    this.tokens = tokens;
    this.events = PresenceEventLog.subscribe(cluster.node(1).runtime().vertx());
    this.lastSeen = MapWriteLog.watch(cluster.node(1), ClusterNames.LAST_SEEN_MAP);
    this.slotWrites = MapWriteLog.watch(cluster.node(1), ClusterNames.SESSION_SLOT_MAP);
  }

  /**
   * Starts two nodes with these timings and auth settings (with a JWT secret, clients present tokens signed with
   * {@link Tokens#SECRET}) and the session limit.
   *
   * @return the witness, watching from node 1
   */
  public static SessionEndWitness start(TestCluster.Timings timings, AuthSettings auth) {
    LimitSettings generous = TestCluster.GENEROUS_LIMITS;
    LimitSettings limits = new LimitSettings(generous.maxConnectionsPerIp(), SESSION_LIMIT,
        generous.messagesPerSecond(), generous.messageBurst(), generous.rateLimitedBeforeClose());
    TestCluster cluster = TestCluster.start(2, timings, c -> c.with(auth, limits));
    try {
      // Two members see each other well before the partitions (and their backups) are spread over both: a
      // member lost before that takes the only copy of its entries with it, and nobody can end its sessions.
      Awaitility.await("partitions and backups on both members").atMost(WAIT).until(() ->
          MapWriteLog.hazelcastOf(cluster.node(0)).getPartitionService().isClusterSafe()
              && MapWriteLog.hazelcastOf(cluster.node(1)).getPartitionService().isClusterSafe());
      return new SessionEndWitness(cluster, auth.jwtSecret() != null);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** @return the cluster */
  public TestCluster cluster() {
    return cluster;
  }

  /** @return node 1's subscriber */
  public PresenceEventLog events() {
    return events;
  }

  /** @return a token for {@code user}, valid for {@code ttlSeconds} (nodes with tokens only) */
  public static String token(String user, long ttlSeconds) {
    return Tokens.hs256(Tokens.SECRET, Tokens.claims(user, ttlSeconds));
  }

  /**
   * @param nick nickname to claim, or {@code null}
   * @return a hello for {@code user}: with an hour's token on nodes with tokens, else naming the user
   */
  public JsonObject hello(String user, String nick) {
    JsonObject hello = new JsonObject().put("type", "hello");
    if (tokens) {
      hello.put("token", token(user, 3_600));
    } else {
      hello.put("user", user);
    }
    return nick == null ? hello : hello.put("nick", nick);
  }

  /** @return a Vert.x client session on node {@code node} after its welcome (it answers pings by itself) */
  public TestSession open(int node, JsonObject hello) {
    TestSession session = TestSession.connect(client, cluster.port(node));
    session.send(hello);
    Awaitility.await("welcome or error on node " + node).atMost(WAIT).pollInterval(Duration.ofMillis(10))
        .until(() -> !session.ofType("welcome").isEmpty() || !session.ofType("error").isEmpty());
    assertThat(session.ofType("error")).as("errors answering a hello on node %d", node).isEmpty();
    return session;
  }

  /** @return {@link #open(int, JsonObject)} with {@link #hello(String, String)} */
  public TestSession open(int node, String user, String nick) {
    return open(node, hello(user, nick));
  }

  /** A raw client (it answers pings only while the test reads) and its welcome. */
  public record Raw(RawWebSocketClient client, JsonObject welcome) {
    /** @return the session id */
    public String session() {
      return welcome.getString("session");
    }
  }

  /** @return a raw client on node {@code node} after its welcome */
  public Raw openRaw(int node, JsonObject hello) throws IOException {
    RawWebSocketClient raw = RawWebSocketClient.connect("127.0.0.1", cluster.port(node), "/ws", WAIT);
    raw.sendText(hello.encode());
    return new Raw(raw, raw.awaitType("welcome", WAIT));
  }

  // Step one: what the end did.

  /**
   * Waits for the session's first {@code leave} on node 1 and checks its reason.
   *
   * @return the leave
   */
  public JsonObject assertOneLeave(String session, String reason) {
    JsonObject leave = events.awaitFirst(session, "leave", WAIT);
    assertThat(leave.getString("reason")).as("leave reason; events of the session: %s", events.of(session))
        .isEqualTo(reason);
    return leave;
  }

  /** The nickname is free (404), checked once, now. */
  public void assertNickFreeNow(String nick) {
    PresenceHttp.Response lease = PresenceHttp.nickname(cluster.adminPort(1), nick);
    assertThat(lease.status()).as("nickname %s: %s", nick, lease.body()).isEqualTo(404);
  }

  /** The nickname becomes free (404) with the end's follow-ups. */
  public void assertNickFree(String nick) {
    Awaitility.await("nickname " + nick + " free").atMost(FOLLOW_UP).untilAsserted(() -> assertNickFreeNow(nick));
  }

  /** The nickname is reserved in grace for the user, as the ended session left it. */
  public void assertNickInGraceFor(String nick, String user, String session) {
    Awaitility.await("nickname " + nick + " in grace").atMost(FOLLOW_UP).untilAsserted(() -> {
      PresenceHttp.Response lease = PresenceHttp.nickname(cluster.adminPort(1), nick);
      assertThat(lease.status()).as("nickname %s: %s", nick, lease.body()).isEqualTo(200);
      assertThat(lease.body().getString("state")).as("state of %s", lease.body()).isEqualTo("grace");
      assertThat(lease.body().getString("user")).as("user of %s", lease.body()).isEqualTo(user);
      assertThat(lease.body().getString("session")).as("session of %s", lease.body()).isEqualTo(session);
    });
  }

  /** The nickname is held by {@code session}. */
  public void assertNickHeldBy(String nick, String session) {
    Awaitility.await("nickname " + nick + " held").atMost(FOLLOW_UP).untilAsserted(() -> {
      PresenceHttp.Response lease = PresenceHttp.nickname(cluster.adminPort(1), nick);
      assertThat(lease.status()).as("nickname %s: %s", nick, lease.body()).isEqualTo(200);
      assertThat(lease.body().getString("state")).as("state of %s", lease.body()).isEqualTo("held");
      assertThat(lease.body().getString("session")).as("session of %s", lease.body()).isEqualTo(session);
    });
  }

  /**
   * The session's slot was released: a write to the user's entry in {@code presence.session-slots} dropped it (not
   * the entry's TTL), soon enough that it cannot be anything but the release. Until the slot's lease runs out
   * (at the end it has at least the lease TTL minus one renewal period left, since its node renewed it while the
   * session lived), no other write drops it: a renewal keeps a live slot, and the only other writer, a newer
   * session of the same user, would drop it only once it expired. So the release must show within that time of
   * the leave.
   */
  public void assertSlotReleased(String user, String session, JsonObject leave) {
    long leftAtTheEnd = cluster.node(1).config().leaseTtlMs() - cluster.node(1).config().leaseRenewalPeriodMs();
    Awaitility.await("slot of " + session + " released").atMost(Duration.ofMillis(leftAtTheEnd))
        .pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
            assertThat(slotWrites.changes(user)).as("writes to the slots of %s", user).anySatisfy(write -> {
              assertThat(slotsOf(write.oldValue())).containsKey(session);
              assertThat(slotsOf(write.value())).doesNotContainKey(session);
              assertThat(write.receivedAt()).isLessThan(leave.getLong("at") + leftAtTheEnd);
            }));
    assertThat(slots(user)).as("slots of %s", user).doesNotContainKey(session);
  }

  private static Map<String, ?> slotsOf(Object stored) {
    return stored == null ? Map.of() : ((UserSessionSlots) stored).slots();
  }

  /** @return the user's slots as stored (live or not), read through node 1's member */
  public Map<String, ?> slots(String user) {
    return slotsOf(MapWriteLog.hazelcastOf(cluster.node(1)).getMap(ClusterNames.SESSION_SLOT_MAP).get(user));
  }

  /** {@code GET /presence/users/{user}} on node 1 shows the user offline, last seen when the session ended. */
  public void assertOfflineSince(String user, JsonObject leave) {
    Awaitility.await(user + " offline with a last seen").atMost(FOLLOW_UP).untilAsserted(() -> {
      PresenceHttp.Response view = PresenceHttp.get(cluster.adminPort(1), "/presence/users/" + user);
      assertThat(view.status()).as("%s", view.body()).isEqualTo(200);
      assertThat(view.body().getBoolean("online")).as("%s", view.body()).isFalse();
      assertThat(view.body().getJsonArray("sessions")).as("%s", view.body()).isEmpty();
      assertThat(view.body().getLong("lastSeen")).as("%s vs the leave %s", view.body(), leave).isNotNull()
          .isBetween(leave.getLong("at") - 1_000, leave.getLong("at") + 1_000);
    });
  }

  // Step two: nothing else follows.

  /**
   * Watches for a second end of the session: for twice the lease renewal period (at least 2 s: every sweep and
   * renewal of both nodes has run since), then until a marker session opened and closed with {@code bye} on each
   * of {@code liveNodes} has been seen leaving (events of one node arrive in order, so whatever that node
   * published for the ended session before has arrived). Then the session has exactly one leave, its events are
   * exactly {@code kinds}, and the user's last seen was written exactly once.
   *
   * @param kinds the session's whole event story, e.g. {@code join, nick, leave}
   */
  public void assertNothingMore(String session, String user, List<String> kinds, int... liveNodes) {
    Duration window = Duration.ofMillis(Math.max(2_000, 2 * cluster.node(1).config().leaseRenewalPeriodMs()));
    Awaitility.await("nothing more for " + session).during(window).atMost(window.plusSeconds(10))
        .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
          assertThat(events.leavesOf(session)).as("leaves of %s", session).hasSize(1);
          assertThat(lastSeen.writes(user)).as("last-seen writes of %s", user).hasSizeLessThanOrEqualTo(1);
        });
    for (int node : liveNodes) {
      String marker = "marker-" + UUID.randomUUID();
      TestSession m = open(node, marker, null);
      m.send(new JsonObject().put("type", "bye"));
      events.awaitFirst(m.sessionId(), "leave", WAIT);
      Awaitility.await("last seen of " + marker).atMost(FOLLOW_UP).until(() -> !lastSeen.writes(marker).isEmpty());
    }
    assertThat(events.leavesOf(session)).as("leaves of %s", session).hasSize(1);
    assertThat(events.kindsOf(session)).as("events of %s: %s", session, events.of(session))
        .containsExactlyElementsOf(kinds);
    assertThat(lastSeen.writes(user)).as("last-seen writes of %s", user).hasSize(1);
  }

  /**
   * The user can open sessions up to the limit again on node {@code node}: {@code count} new sessions are all
   * welcomed (a slot still held by an ended session would get one refused with {@code session_limit}), then
   * said goodbye to.
   */
  public void assertUserMayOpen(int node, String user, int count) throws Exception {
    List<TestSession> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opened.add(open(node, user, null));
    }
    for (TestSession session : opened) {
      assertThat(session.awaitType("welcome").getString("user")).isEqualTo(user);
      session.send(new JsonObject().put("type", "bye"));
      assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
    }
  }

  @Override
  public void close() {
    lastSeen.close();
    slotWrites.close();
    TestSession.await(clientVertx.close());
    cluster.close();
  }
}
