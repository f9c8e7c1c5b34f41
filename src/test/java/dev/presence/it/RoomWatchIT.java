package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.cluster.ClusterNames;
import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.config.RoomSettings;
import dev.presence.presence.PresenceStores;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomMembership;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.WatchedRoom;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watching rooms (docs/protocol.md §12.1) on a two-node cluster with real WebSocket clients: every watcher's view,
 * folded the way a careful client folds it ({@link WatchedRoom}: consecutive sequence numbers, digests checked),
 * must equal the room's members on the cluster, after joins and leaves on both nodes, a reset connection, missed
 * events (a membership written or removed behind the events' back) and a room crossing the large-room threshold.
 * Rooms are large above 4 members here and the watch tick is 300 ms. Each test uses rooms of its own.
 */
class RoomWatchIT {

  static final Duration WAIT = Duration.ofSeconds(20);

  static final String SERVICE_TOKEN = "room-watch-it-service-credential-0123456789";

  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new TestCluster.Timings(500, 2_000, 3_000, 5_000),
        config -> config.with(new RoomSettings(50, 5, 4, 300)).with(new AuthSettings(AuthMode.NONE, null, null, "RS256",
            null, null, "roles", List.of(), false, SERVICE_TOKEN), config.limits())
            // Two event loops own connections, whatever the machine: watchers of one node then sit on both.
            .withVerticleInstances(2));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  static JsonObject join(String room) {
    return new JsonObject().put("type", "join").put("room", room);
  }

  /** @return the value of one series (name, with its labels if any) on a node's scrape */
  static double metric(int node, String series) {
    return PresenceHttp.metric(cluster.adminPort(node), series);
  }

  static WatchedRoom view(TestSession session, String room) {
    return WatchedRoom.of(session.received(), room);
  }

  /** The room's members as the cluster lists them (the admin port's read API). */
  static List<String> members(String room) {
    JsonObject body = PresenceHttp.get(cluster.adminPort(0), "/rooms/" + room.replace("#", "%23")).body();
    return body.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("session")).toList();
  }

  /** Every leave the watcher was told of for the room, as "session reason". */
  static List<String> leaves(TestSession watcher, String room) {
    return watcher.ofType("presence.diff").stream().filter(m -> room.equals(m.getString("room")))
        .flatMap(m -> m.getJsonArray("leaves").stream().map(JsonObject.class::cast))
        .map(l -> l.getString("session") + " " + l.getString("reason")).toList();
  }

  static void assertConverged(TestSession watcher, String room) {
    await().atMost(WAIT).untilAsserted(() -> {
      WatchedRoom view = view(watcher, room);
      assertThat(view.sessions()).as("the watcher's view of %s", room).containsExactlyInAnyOrderElementsOf(
          members(room));
      assertThat(view.gaps()).as("sequence gaps").isZero();
      assertThat(view.digestMismatches()).as("digests that disagreed with the view").isZero();
    });
  }

  @Test
  void watchers_on_both_nodes_follow_joins_and_leaves_with_consecutive_numbers_and_matching_digests()
      throws Exception {
    String room = "w:follow";
    TestSession alice = TestSession.hello(client, cluster.port(0), "alice", null);
    alice.send(join(room));
    alice.awaitType("joined");
    JsonObject state = alice.awaitType("presence.state");
    assertThat(state.getString("room")).isEqualTo(room);
    assertThat(state.getLong("seq")).isZero();
    assertThat(view(alice, room).sessions()).containsExactly(alice.sessionId());

    TestSession bob = TestSession.hello(client, cluster.port(1), "bob", "Bobby");
    bob.send(join(room));
    bob.awaitType("joined");
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(alice, room).sessions())
        .containsExactlyInAnyOrder(alice.sessionId(), bob.sessionId()));
    assertThat(view(alice, room).members().get(bob.sessionId()).getString("nick")).isEqualTo("Bobby");
    assertThat(view(bob, room).sessions()).containsExactlyInAnyOrder(alice.sessionId(), bob.sessionId());

    RawWebSocketClient carol = RawWebSocketClient.connect("127.0.0.1", cluster.port(1), "/ws", WAIT);
    carol.sendText(new JsonObject().put("type", "hello").put("user", "carol").encode());
    String carolSession = carol.awaitType("welcome", WAIT).getString("session");
    carol.sendText(join(room).put("watch", false).encode());
    carol.awaitType("joined", WAIT);
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(alice, room).sessions()).contains(carolSession));
    carol.resetAbruptly();

    await().atMost(WAIT).untilAsserted(() -> assertThat(leaves(alice, room)).contains(carolSession + " reset"));
    assertThat(leaves(bob, room)).contains(carolSession + " reset");

    bob.send(new JsonObject().put("type", "leave").put("room", room));
    bob.awaitType("left");
    await().atMost(WAIT).untilAsserted(() -> assertThat(leaves(alice, room)).contains(bob.sessionId() + " left"));
    assertConverged(alice, room);
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(alice, room).digestsMatched()).isPositive());
    assertThat(view(alice, room).resyncs()).isZero();
    Stream.of(alice, bob).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  /**
   * One view per room per node: a watcher that arrives late, whichever of the node's event loops holds its connection,
   * gets the node's numbering (the snapshot carries the last diff's number), and every watcher gets the same number
   * for the same change. Views kept per event loop numbered from 0 for a loop whose first watcher came late.
   */
  @Test
  void every_watcher_of_a_room_on_one_node_gets_the_same_numbers_whichever_event_loop_holds_it() {
    String room = "w:one-view";
    TestSession first = TestSession.hello(client, cluster.port(0), "first", null);
    first.send(join(room));
    first.awaitType("joined");
    first.awaitType("presence.state");
    List<TestSession> members = new java.util.ArrayList<>();
    for (String user : List.of("m1", "m2")) {
      TestSession member = TestSession.hello(client, cluster.port(1), user, null);
      member.send(join(room).put("watch", false));
      member.awaitType("joined");
      members.add(member);
    }
    await().atMost(WAIT).until(() -> view(first, room).sessions().size() == 3);
    long numbered = lastSeq(first, room);
    assertThat(numbered).as("two joins numbered the first watcher's diffs").isPositive();

    // Connections are spread over the node's event loops in turn: of three more watchers, some share the first
    // one's loop and some do not.
    List<TestSession> late = new java.util.ArrayList<>();
    for (String user : List.of("late1", "late2", "late3")) {
      TestSession watcher = TestSession.hello(client, cluster.port(0), user, null);
      watcher.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room)));
      assertThat(watcher.awaitType("presence.state").getLong("seq")).as("%s's snapshot", user).isEqualTo(numbered);
      late.add(watcher);
    }
    TestSession last = TestSession.hello(client, cluster.port(1), "m3", null);
    last.send(join(room).put("watch", false));
    last.awaitType("joined");
    for (TestSession watcher : Stream.concat(Stream.of(first), late.stream()).toList()) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(view(watcher, room).sessions()).contains(last.sessionId()));
      assertThat(lastSeq(watcher, room)).isEqualTo(numbered + 1);
    }
    Stream.concat(Stream.concat(Stream.of(first, last), members.stream()), late.stream())
        .forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  /** @return the number of the last diff of the room the watcher got */
  static long lastSeq(TestSession watcher, String room) {
    return watcher.ofType("presence.diff").stream().filter(m -> room.equals(m.getString("room")))
        .mapToLong(m -> m.getLong("seq")).max().orElse(-1);
  }

  @Test
  void a_session_watches_a_room_it_is_not_in_and_stops_on_unsubscribe() {
    String room = "w:watch-only";
    TestSession dave = TestSession.hello(client, cluster.port(0), "dave", null);
    dave.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room)));
    JsonObject empty = dave.awaitType("presence.state");
    assertThat(empty.getJsonArray("sessions")).isEmpty();

    TestSession erin = TestSession.hello(client, cluster.port(1), "erin", null);
    erin.send(join(room).put("watch", false));
    erin.awaitType("joined");
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(dave, room).sessions())
        .containsExactly(erin.sessionId()));
    assertThat(erin.ofType("presence.state")).as("joined with watch false: no snapshot").isEmpty();

    // Subscribing to a watched room again is a resync: a fresh snapshot at the current number.
    dave.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room)));
    JsonObject again = dave.awaitNth("presence.state", 2);
    assertThat(again.getLong("seq")).isEqualTo(view(dave, room).seq());
    assertThat(again.getJsonArray("sessions").stream().map(o -> ((JsonObject) o).getString("session")))
        .containsExactly(erin.sessionId());

    dave.send(new JsonObject().put("type", "unsubscribe").put("room", room));
    // A second watcher on dave's node tells when erin's leave has reached that node.
    TestSession frank = TestSession.hello(client, cluster.port(0), "frank", null);
    frank.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room)));
    frank.awaitType("presence.state");
    int diffsBefore = dave.ofType("presence.diff").size();
    erin.send(new JsonObject().put("type", "leave").put("room", room));
    await().atMost(WAIT).untilAsserted(() -> assertThat(leaves(frank, room)).contains(erin.sessionId() + " left"));
    dave.send(new JsonObject().put("type", "ping").put("seq", 1));
    dave.awaitType("pong");
    assertThat(dave.ofType("presence.diff")).as("no diff after unsubscribe").hasSize(diffsBefore);
    Stream.of(dave, erin, frank).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_missed_leave_and_a_missed_join_are_corrected_from_the_cluster_within_seconds() {
    String room = "w:missed";
    TestSession gus = TestSession.hello(client, cluster.port(0), "gus", null);
    gus.send(join(room));
    gus.awaitType("presence.state");
    TestSession henry = TestSession.hello(client, cluster.port(1), "henry", null);
    henry.send(join(room).put("watch", false));
    henry.awaitType("joined");
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(gus, room).sessions()).contains(henry.sessionId()));

    // Behind the events' back: the membership and its place go, and no room.leave is published.
    PresenceStores stores = cluster.node(1).runtime().stores();
    assertThat(TestSession.await(stores.presence().leaveRoom(henry.sessionId(), room))).isPresent();
    TestSession.await(stores.rooms().release(room, "henry"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(leaves(gus, room)).contains(henry.sessionId() + " gone"));
    assertConverged(gus, room);

    // And a membership that arrives without its room.join.
    TestSession ivan = TestSession.hello(client, cluster.port(1), "ivan", null);
    assertThat(TestSession.await(stores.rooms().reserve(room, "ivan", 50)))
        .isInstanceOf(RoomAdmission.Admitted.class);
    TestSession.await(stores.presence().joinRoom(ivan.sessionId(), room, new RoomMembership(1, null), 5));
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(gus, room).sessions()).contains(ivan.sessionId()));
    assertConverged(gus, room);
    assertThat(PresenceHttp.metrics(cluster.adminPort(0)))
        .containsPattern("presence_room_view_corrections_total [1-9]");
    Stream.of(gus, henry, ivan).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_membership_the_counts_agree_to_miss_is_in_every_view_soon_after_a_member_joins_the_cluster() {
    // What a healed split can leave: the other side's room.join never arrived, and the merge kept this side's
    // occupancy record, so the counts agree with the view that misses the member and the count check sees nothing.
    String room = "w:merged";
    TestSession jill = TestSession.hello(client, cluster.port(0), "jill", null);
    jill.send(join(room));
    jill.awaitType("presence.state");
    TestSession kurt = TestSession.hello(client, cluster.port(1), "kurt", null);
    PresenceStores stores = cluster.node(1).runtime().stores();
    TestSession.await(stores.presence().joinRoom(kurt.sessionId(), room, new RoomMembership(1, null), 5));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
        .until(() -> !view(jill, room).sessions().contains(kurt.sessionId()));

    // The node hears that a member joined its cluster (MembershipWatcher publishes this on memberAdded).
    cluster.node(0).runtime().vertx().eventBus().publish(ClusterNames.LOCAL_MEMBER_JOINED_ADDRESS, null,
        new DeliveryOptions().setLocalOnly(true));

    // Well before the age audit (10 s after the watch's first read) would find it.
    await().atMost(Duration.ofSeconds(4))
        .untilAsserted(() -> assertThat(view(jill, room).sessions()).contains(kurt.sessionId()));
    assertConverged(jill, room);
    Stream.of(jill, kurt).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_member_kicked_from_the_room_leaves_every_watchers_view_as_kicked_and_stops_watching() throws Exception {
    String room = "w:kick";
    TestSession kim = TestSession.hello(client, cluster.port(0), "kim", null);
    kim.send(join(room));
    kim.awaitType("presence.state");
    TestSession lou = TestSession.hello(client, cluster.port(1), "lou", null);
    lou.send(join(room));
    lou.awaitType("presence.state");
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(kim, room).sessions()).contains(lou.sessionId()));

    JsonObject reply = cluster.node(0).runtime().vertx().eventBus()
        .<JsonObject>request("presence.kick", new JsonObject().put("room", room).put("session", lou.sessionId()),
            new io.vertx.core.eventbus.DeliveryOptions().addHeader("authorization", "Service " + SERVICE_TOKEN))
        .toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).body();
    assertThat(reply.getInteger("kicked")).isEqualTo(1);
    assertThat(lou.awaitType("left").getString("reason")).isEqualTo("kicked");
    await().atMost(WAIT).untilAsserted(() -> assertThat(leaves(kim, room)).contains(lou.sessionId() + " kicked"));
    assertConverged(kim, room);

    // lou watches no more: kim's next change reaches kim's view but not lou's.
    TestSession max = TestSession.hello(client, cluster.port(0), "max", null);
    max.send(join(room).put("watch", false));
    max.awaitType("joined");
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(kim, room).sessions()).contains(max.sessionId()));
    lou.send(new JsonObject().put("type", "ping").put("seq", 1));
    lou.awaitType("pong");
    assertThat(view(lou, room).sessions()).doesNotContain(max.sessionId());
    Stream.of(kim, lou, max).forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_room_above_the_large_threshold_sends_counts_and_members_again_below_it() {
    String room = "w:large";
    TestSession watcher = TestSession.hello(client, cluster.port(0), "watcher", null);
    watcher.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room)));
    watcher.awaitType("presence.state");
    List<TestSession> crowd = Stream.of("m1", "m2", "m3", "m4", "m5")
        .map(u -> TestSession.hello(client, cluster.port(1), u, null)).toList();
    crowd.forEach(s -> s.send(join(room).put("watch", false)));
    crowd.forEach(s -> s.awaitType("joined"));

    await().atMost(WAIT).untilAsserted(() -> {
      JsonObject counts = view(watcher, room).counts();
      assertThat(counts).as("5 members > 4: counts").isNotNull();
      assertThat(counts.getInteger("sessions")).isEqualTo(5);
      assertThat(counts.getInteger("users")).isEqualTo(5);
    });
    // The gauges: the watcher's node counts a large room and a watch in counts mode, the crowd's its memberships.
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(metric(0, "presence_rooms_large")).isGreaterThanOrEqualTo(1);
      assertThat(metric(0, "presence_room_watches{mode=\"counts\"}")).isGreaterThanOrEqualTo(1);
      assertThat(metric(1, "presence_room_memberships")).isGreaterThanOrEqualTo(5);
    });

    crowd.subList(0, 3).forEach(s -> s.send(new JsonObject().put("type", "leave").put("room", room)));
    await().atMost(WAIT).untilAsserted(() -> {
      WatchedRoom view = view(watcher, room);
      assertThat(view.counts()).as("2 members <= 9/10 of 4: members again").isNull();
      assertThat(view.sessions()).containsExactlyInAnyOrder(crowd.get(3).sessionId(), crowd.get(4).sessionId());
    });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(metric(0, "presence_rooms_large")).as("no large room watched any more").isZero();
      assertThat(metric(0, "presence_room_watches{mode=\"members\"}")).isGreaterThanOrEqualTo(1);
    });
    watcher.send(new JsonObject().put("type", "bye"));
    crowd.forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }

  @Test
  void a_watcher_may_ask_for_counts_only_and_a_follower_of_users_gets_their_changes_in_a_large_room() {
    TestSession counter = TestSession.hello(client, cluster.port(0), "counter", null);
    counter.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add("w:counted"))
        .put("counts", true));
    assertThat(counter.awaitType("presence.counts").getInteger("sessions")).isZero();
    TestSession one = TestSession.hello(client, cluster.port(1), "one", null);
    one.send(join("w:counted").put("watch", false));
    one.awaitType("joined");
    await().atMost(WAIT).untilAsserted(() -> assertThat(counter.ofType("presence.counts")).last()
        .satisfies(c -> assertThat(c.getInteger("sessions")).isEqualTo(1)));
    assertThat(counter.ofType("presence.state")).as("counts only: no members").isEmpty();
    assertThat(counter.ofType("presence.diff")).isEmpty();

    String room = "w:followed";
    TestSession follower = TestSession.hello(client, cluster.port(0), "follower", null);
    follower.send(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room))
        .put("users", new JsonArray().add("q5")));
    follower.awaitType("presence.state");
    List<TestSession> crowd = Stream.of("q1", "q2", "q3", "q4", "q5")
        .map(u -> TestSession.hello(client, cluster.port(1), u, null)).toList();
    crowd.forEach(s -> s.send(join(room).put("watch", false)));
    crowd.forEach(s -> s.awaitType("joined"));
    String q5 = crowd.get(4).sessionId();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(view(follower, room).counts()).as("5 members > 4: counts").isNotNull();
      assertThat(follower.ofType("presence.state").stream().filter(m -> Boolean.TRUE.equals(m.getBoolean("users")))
          .flatMap(m -> m.getJsonArray("sessions").stream().map(o -> ((JsonObject) o).getString("session"))))
          .contains(q5);
    });
    // q5 leaves first, so the room (4 members, above 9/10 of 4) is still large when its leave goes out: a leave that
    // takes the room back to members may go out in a members diff, after the tick that ends counts mode.
    crowd.get(4).send(new JsonObject().put("type", "leave").put("room", room));
    await().atMost(WAIT).untilAsserted(() -> assertThat(leaves(follower, room)).contains(q5 + " left"));
    crowd.get(0).send(new JsonObject().put("type", "leave").put("room", room));
    crowd.get(0).awaitType("left");
    await().atMost(WAIT).untilAsserted(() -> assertThat(view(follower, room).counts()).as("3 members: members again")
        .isNull());
    // Before the room was large the follower got every member's diffs; once large, only its user's (users: true).
    assertThat(follower.ofType("presence.diff").stream().filter(m -> room.equals(m.getString("room")))
        .filter(m -> Boolean.TRUE.equals(m.getBoolean("users")))
        .flatMap(m -> Stream.of("joins", "leaves", "updates").flatMap(k -> m.getJsonArray(k).stream()))
        .map(o -> ((JsonObject) o).getString("user"))).as("only the followed user's changes").containsOnly("q5");
    Stream.concat(Stream.of(counter, one, follower), crowd.stream())
        .forEach(s -> s.send(new JsonObject().put("type", "bye")));
  }
}
