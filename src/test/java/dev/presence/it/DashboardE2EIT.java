package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.auth.TokenMint;
import dev.presence.testing.FreePorts;
import dev.presence.testing.NodeProcess;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestSession;
import dev.presence.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard, end to end: two node processes in JWT mode, the page of node 1 in headless Chromium opened with an
 * admin token in the URL fragment, and real clients on both nodes. The page must show their joins, the leave of the
 * client whose TCP connection is reset (reason {@code reset}) with its ghost window counted, and the members with
 * their session counts, all live over the SockJS bridge; then the rooms those clients join on both nodes with their
 * counts, the members of the room chosen on the page (watched over {@code /ws}, digest checked), a member's leave
 * gone from it, a vacated room gone from the list, and the room events; a page without a token is refused and says
 * so. A screenshot goes to {@code target/dashboard-e2e.png} whatever the outcome.
 *
 * <p>Needs Chromium ({@code /usr/bin/chromium}) and Node.js 20 with npm; fails, naming the install command, if
 * they are missing (see {@link DashboardBrowser}).
 */
class DashboardE2EIT {

  private static final Duration SHOWN_WITHIN = Duration.ofSeconds(15);
  private static final Path SCREENSHOT = Path.of("target", "dashboard-e2e.png");
  /** 48 random-ish bytes; HS256 needs at least 32. */
  private static final String SECRET = UUID.randomUUID() + "-" + UUID.randomUUID();

  private final String clusterName = "dashboard-e2e-" + UUID.randomUUID();
  private final List<AutoCloseable> resources = new java.util.ArrayList<>();
  private Vertx clientVertx;

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (clientVertx != null) {
      clientVertx.close().await();
    }
  }

  @Test
  void the_page_of_one_node_shows_joins_on_both_a_reset_the_members_and_the_rooms_live() throws Exception {
    // Tools first: a machine without Chromium or Node fails here at once, naming the install command.
    DashboardBrowser page = keep(DashboardBrowser.start(Path.of("target", "dashboard-e2e-driver.log")));
    int http1 = FreePorts.next();
    int http2 = FreePorts.next();
    int hz1 = FreePorts.next();
    int hz2 = FreePorts.next();
    String members = "127.0.0.1:" + hz1 + ",127.0.0.1:" + hz2;
    NodeProcess node1 = keep(NodeProcess.start(http1, nodeEnv(http1, hz1, members), List.of(), 1));
    NodeProcess node2 = keep(NodeProcess.start(http2, nodeEnv(http2, hz2, members), List.of(), 2));
    Awaitility.await("node 1 sees node 2").atMost(Duration.ofSeconds(30)).until(() -> node1.clusterSize() == 2);

    try {
      // watch:* lets the page watch any room's members (docs/dashboard.md, "Rooms").
      String admin = TokenMint.mint(SECRET, "ops", List.of("presence-admin"), List.of("watch:*"), 600,
          Tokens.ISSUER, Tokens.AUDIENCE);
      page.open("http://127.0.0.1:" + http1 + "/#token=" + admin, Duration.ofSeconds(30));
      page.waitFor("#status[data-state='open'][data-registered='true']", SHOWN_WITHIN);
      assertThat(page.url()).as("the token leaves the address bar once read").doesNotContain("token");
      awaitRegistrationSpreadTo(page, http2);

      clientVertx = Vertx.vertx();
      WebSocketClient ws = clientVertx.createWebSocketClient();
      TestSession alice = hello(ws, http1, "alice", "Alice");
      TestSession bob = hello(ws, http2, "bob", "Bob");
      RawWebSocketClient carol = keep(RawWebSocketClient.connect("127.0.0.1", http2, "/ws", SHOWN_WITHIN));
      carol.sendText(helloFrame("carol", "Carol").encode());
      JsonObject carolWelcome = carol.awaitType("welcome", SHOWN_WITHIN);
      String node1Id = alice.awaitType("welcome").getString("node");
      String node2Id = bob.awaitType("welcome").getString("node");

      for (String session : List.of(alice.sessionId(), bob.sessionId(), carolWelcome.getString("session"))) {
        page.waitFor("#events tr[data-event='join'][data-session='" + session + "']", SHOWN_WITHIN);
      }
      page.waitFor("#nicks tr[data-nick='Alice']", SHOWN_WITHIN);
      page.waitFor("#nicks tr[data-nick='Carol']", SHOWN_WITHIN);
      page.waitFor(member(node1Id, 1), SHOWN_WITHIN);
      page.waitFor(member(node2Id, 2), SHOWN_WITHIN);
      String ghostsBefore = page.waitFor("#ghost-summary", SHOWN_WITHIN);

      carol.resetAbruptly(); // SO_LINGER 0: a TCP RST, no close frame
      String carolSession = carolWelcome.getString("session");
      page.waitFor("#events tr[data-event='leave'][data-session='" + carolSession + "'][data-reason='reset']",
          SHOWN_WITHIN);
      page.waitFor(member(node2Id, 1), SHOWN_WITHIN);
      page.waitFor(member(node1Id, 1), SHOWN_WITHIN);
      assertThat(page.appears("#sessions tr[data-session='" + carolSession + "']", Duration.ofMillis(200)))
          .as("carol's session is gone from the session table").isFalse();
      String ghostsAfter = page.waitFor("#ghost-summary", SHOWN_WITHIN);
      assertThat(measured(ghostsAfter)).as(ghostsAfter).isEqualTo(measured(ghostsBefore) + 1);

      showsRoomsLive(page, ws, alice, bob, http2);
      theRoomViewResyncsOnAGapAndChecksDigests(page);
      assertThat(page.problems()).as("console errors, page errors, CSP violations").isEmpty();
      page.screenshot(SCREENSHOT);

      // A fresh tab without a token: the bridge refuses its frames and the page says what to do.
      page.open("http://127.0.0.1:" + http1 + "/", Duration.ofSeconds(30));
      assertThat(page.waitFor("#bridge-error:has-text('rejected')", SHOWN_WITHIN)).contains("enter a token");
    } catch (Throwable failure) {
      // The page as it was when the test failed is the best clue; a failing screenshot must not hide why.
      try {
        page.screenshot(SCREENSHOT);
      } catch (Throwable screenshotFailure) {
        failure.addSuppressed(screenshotFailure);
      }
      throw failure;
    }
  }

  /**
   * Rooms on both nodes: the list with counts, the chosen room's members (a watch over node 1's {@code /ws}, so
   * bob's and dave's changes on node 2 cross the cluster to it), bob's leave gone from the members and counted in
   * the list, a vacated room gone from the list, and the room events with their reasons.
   */
  private void showsRoomsLive(DashboardBrowser page, WebSocketClient ws, TestSession alice, TestSession bob,
      int http2) throws Exception {
    join(alice, "#general");
    join(alice, "team:1");
    join(bob, "#general");
    page.waitFor(room("#general", 2, 2), SHOWN_WITHIN);
    page.waitFor(room("team:1", 1, 1), SHOWN_WITHIN);
    page.waitFor(roomEvent("room.occupied", "#general"), SHOWN_WITHIN);
    page.waitFor(roomEvent("room.join", "#general") + "[data-session='" + bob.sessionId() + "']", SHOWN_WITHIN);

    page.click(room("#general", 2, 2) + " button", SHOWN_WITHIN);
    page.waitFor("#room-watch[data-room='#general'][data-mode='members']", SHOWN_WITHIN);
    page.waitFor(roomMember(alice), SHOWN_WITHIN);
    page.waitFor(roomMember(bob), SHOWN_WITHIN);

    TestSession dave = hello(ws, http2, "dave", null);
    join(dave, "#general");
    page.waitFor(roomMember(dave), SHOWN_WITHIN);
    page.waitFor(room("#general", 3, 3), SHOWN_WITHIN);

    bob.send(new JsonObject().put("type", "leave").put("room", "#general"));
    bob.awaitType("left");
    page.waitGone(roomMember(bob), SHOWN_WITHIN);
    page.waitFor(room("#general", 2, 2), SHOWN_WITHIN);
    page.waitFor(roomEvent("room.leave", "#general") + "[data-session='" + bob.sessionId() + "'][data-reason='left']",
        SHOWN_WITHIN);
    // The digest follows the diffs at the node's next tick (1 s); the page hashes its own view and compares.
    String summary = page.waitFor("#room-watch[data-room='#general'][data-digest='ok']", SHOWN_WITHIN);
    assertThat(summary).contains("2 sessions, 2 users").contains("digest matches").doesNotContain("resync");

    alice.send(new JsonObject().put("type", "leave").put("room", "team:1"));
    alice.awaitType("left");
    page.waitFor(roomEvent("room.vacated", "team:1"), SHOWN_WITHIN);
    page.waitGone("#rooms tr[data-room='team:1']", SHOWN_WITHIN);

    // The page's watch session is a session of "ops" on node 1 while it watches, and ends when it stops.
    String ownSession = "#sessions tr:has-text('this page, watching a room')";
    assertThat(page.waitFor(ownSession, SHOWN_WITHIN)).contains("ops");
    page.click("#stop-watching", SHOWN_WITHIN);
    page.waitFor("#room-watch[data-mode='none']", SHOWN_WITHIN);
    page.waitFor("#events tr[data-event='leave'][data-reason='bye']:has-text('ops')", SHOWN_WITHIN);
    page.waitGone(ownSession, SHOWN_WITHIN);
  }

  /**
   * The page's room view (room-view.js) on messages no healthy node sends on cue: a diff whose seq skips one, a digest
   * for a later seq or of other members each ask for a resync; and SubtleCrypto's SHA-256 equals Java's.
   */
  private void theRoomViewResyncsOnAGapAndChecksDigests(DashboardBrowser page) throws Exception {
    JsonObject verdicts = (JsonObject) page.evaluate("""
        (() => {
          const V = window.PresenceRoomView;
          const state = { room: 'r', seq: 3, sessions: [{ session: 'b', user: 'u2' }, { session: 'a', user: 'u1' }] };
          const diff = (seq, joins, leaves) => ({ room: 'r', seq, joins, leaves, updates: [] });
          const v = new V.RoomView('r');
          v.onState(state);
          const next = v.onDiff(diff(4, [{ session: 'c', user: 'u1' }], []));
          const gap = v.onDiff(diff(6, [], [{ session: 'a' }]));
          const whileResyncing = v.onDiff(diff(7, [], [{ session: 'a' }]));
          const kept = v.members.size;
          const w = new V.RoomView('r');
          w.onState(state);
          const input = w.digestInput({ room: 'r', seq: 3, sessions: 2, digest: 'x' });
          const later = w.digestInput({ room: 'r', seq: 4, sessions: 2, digest: 'x' });
          const x = new V.RoomView('r');
          x.onState(state);
          const mismatch = x.digestChecked(3, false);
          return { next, gap, whileResyncing, kept, users: w.userCount(), input, later, mismatch };
        })()""");
    assertThat(verdicts.getString("next")).isEqualTo("ok");
    assertThat(verdicts.getString("gap")).as("seq 6 after 4").isEqualTo("resync");
    assertThat(verdicts.getString("whileResyncing")).as("ignored until the fresh state").isEqualTo("ok");
    assertThat(verdicts.getInteger("kept")).as("the view is kept until the fresh state").isEqualTo(3);
    assertThat(verdicts.getInteger("users")).isEqualTo(2);
    assertThat(verdicts.getString("input")).as("sorted session ids joined by \\n").isEqualTo("a\nb");
    assertThat(verdicts.getString("later")).as("a digest of a later seq: a diff was missed").isEqualTo("resync");
    assertThat(verdicts.getString("mismatch")).isEqualTo("resync");

    String text = "0c1f\n5b0e\né";
    Object browserHex = page.evaluate("window.PresenceRoomView.sha256Hex(" + new JsonArray().add(text).encode()
        + "[0])");
    assertThat(browserHex).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8))));
  }

  private static void join(TestSession session, String room) {
    session.send(new JsonObject().put("type", "join").put("room", room).put("watch", false));
    Awaitility.await(session.sessionId() + " joined " + room).atMost(SHOWN_WITHIN).until(() -> session
        .ofType("joined").stream().anyMatch(joined -> room.equals(joined.getString("room"))));
  }

  private static String room(String room, int sessions, int users) {
    return "#rooms tr[data-room='" + room + "'][data-sessions='" + sessions + "'][data-users='" + users + "']";
  }

  private static String roomMember(TestSession session) {
    return "#room-members tr[data-session='" + session.sessionId() + "']";
  }

  private static String roomEvent(String event, String room) {
    return "#room-events tr[data-event='" + event + "'][data-room='" + room + "']";
  }

  /**
   * The page registers on node 1; node 2 learns of that subscription through Hazelcast a moment later
   * (docs/protocol.md §9), and would drop events published before. Probe sessions on node 2 until the page shows
   * one's join, so the test's own clients do not race the registration.
   */
  private void awaitRegistrationSpreadTo(DashboardBrowser page, int http2) {
    Awaitility.await("the page's registration reaches node 2").atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
          try (RawWebSocketClient probe = RawWebSocketClient.connect("127.0.0.1", http2, "/ws", SHOWN_WITHIN)) {
            probe.sendText(helloFrame("probe", null).encode());
            String session = probe.awaitType("welcome", SHOWN_WITHIN).getString("session");
            boolean shown = page.appears("#events tr[data-event='join'][data-session='" + session + "']",
                Duration.ofSeconds(1));
            probe.sendText(new JsonObject().put("type", "bye").encode());
            return shown;
          }
        });
  }

  private TestSession hello(WebSocketClient ws, int port, String user, String nick) {
    TestSession session = TestSession.connect(ws, port);
    session.send(helloFrame(user, nick));
    session.awaitType("welcome");
    return session;
  }

  /**
   * A hello with a token minted for {@code user}, which may join every room; {@code user} is sent too and must match
   * the token's sub.
   */
  private static JsonObject helloFrame(String user, String nick) {
    JsonObject hello = new JsonObject().put("type", "hello").put("user", user)
        .put("token", TokenMint.mint(SECRET, user, List.of(), List.of("*"), 600, Tokens.ISSUER, Tokens.AUDIENCE));
    return nick == null ? hello : hello.put("nick", nick);
  }

  private static String member(String node, int sessions) {
    return "#members tr[data-node='" + node + "'][data-sessions='" + sessions + "']";
  }

  /** @return N of the ghost summary "N leaves measured..." */
  private static int measured(String summary) {
    return Integer.parseInt(summary.trim().split(" ")[0]);
  }

  private Map<String, String> nodeEnv(int httpPort, int hzPort, String members) {
    return Map.ofEntries(
        Map.entry("PRESENCE_HTTP_HOST", "127.0.0.1"),
        Map.entry("PRESENCE_HTTP_PORT", String.valueOf(httpPort)),
        Map.entry("PRESENCE_CLUSTER_MODE", "local"),
        Map.entry("PRESENCE_CLUSTER_NAME", clusterName),
        Map.entry("PRESENCE_CLUSTER_HOST", "127.0.0.1"),
        Map.entry("PRESENCE_HZ_PORT", String.valueOf(hzPort)),
        Map.entry("PRESENCE_HZ_MEMBERS", members),
        Map.entry("PRESENCE_VERTICLE_INSTANCES", "1"),
        // Clients here answer pings only while read; a long timeout keeps carol alive until the test resets
        // her, so her leave can only be the reset.
        Map.entry("PRESENCE_HEARTBEAT_INTERVAL_MS", "10000"),
        Map.entry("PRESENCE_HEARTBEAT_TIMEOUT_MS", "60000"),
        Map.entry("PRESENCE_NICK_GRACE_MS", "60000"),
        Map.entry("PRESENCE_AUTH", "jwt"),
        Map.entry("PRESENCE_JWT_SECRET", SECRET),
        Map.entry("PRESENCE_JWT_ISSUER", Tokens.ISSUER),
        Map.entry("PRESENCE_JWT_AUDIENCE", Tokens.AUDIENCE));
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }
}
