package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.LimitSettings;
import dev.presence.testing.ErrorLogRecorder;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence subscribers ({@code subscribe} {@code all}) that stop reading, against the node's budget for presence frames
 * ({@code PRESENCE_WATCH_BUDGET_BYTES}, here its least, 64 KiB), the one room watchers share: the frames the node holds
 * for them stay within twice the budget and about a frame each, instead of a socket's high-water mark and more each;
 * they are resynced, and see the cluster as it is once they read again; a subscriber that reads keeps a true view
 * throughout. One node, real sockets.
 */
class SubscriptionBudgetIT {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final long BUDGET = LimitSettings.MIN_WATCH_BUDGET_BYTES;
  static final int SLOW_SUBSCRIBERS = 6;
  /** Silence after which a reading slow subscriber is taken to have read everything the node had for it. */
  static final Duration QUIET = Duration.ofSeconds(3);
  static final int MOVERS = 40;
  static final int MAX_ROUNDS = 400;
  /** About 1 KiB of meta: each status change carries it to every subscriber, so the churn fills sockets fast. */
  static final String PAD = "s".repeat(1_000);
  /**
   * What a subscriber may be sent past the budget: frames already written when the budget was crossed, one diff of
   * the churn (a batch window's status changes with their meta, a few KiB) and the resync notice.
   */
  static final long SLACK_PER_SUBSCRIBER = 64 * 1024;
  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    // A long heartbeat timeout: the slow subscribers answer no pings while they are not reading. The movers' status
    // changes outrun the default message rate and status interval: both lifted.
    cluster = TestCluster.start(1, new TestCluster.Timings(10_000, 120_000, 120_000, 5_000),
        config -> config.with(config.auth(), new LimitSettings(1_000, 1_000, 1_000, 1_000, 1_000)
            .withStatusMinIntervalMs(1).withWatchBudgetBytes(BUDGET)));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(200));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void subscribers_that_stop_reading_hold_the_node_to_its_budget_are_resynced_and_catch_up_when_they_read_again()
      throws Exception {
    ErrorLogRecorder.clear();
    TestSession reader = TestSession.hello(client, cluster.port(0), "sub-budget-reader", null);
    reader.send(new JsonObject().put("type", "subscribe").put("all", true));
    reader.awaitType("presence.state");
    List<RawWebSocketClient> slow = new ArrayList<>();
    List<JsonObject> firstStates = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_SUBSCRIBERS; i++) {
        RawWebSocketClient.Stalled subscriber = RawWebSocketClient.subscribeThenStall(cluster.port(0),
            "sub-budget-slow-" + i, new JsonObject().put("type", "subscribe").put("all", true), WAIT);
        slow.add(subscriber.client());
        firstStates.add(subscriber.firstState());
        // From here on it reads nothing until the churn is over.
      }
      List<TestSession> movers = new ArrayList<>();
      for (int i = 0; i < MOVERS; i++) {
        movers.add(TestSession.hello(client, cluster.port(0), "sub-budget-mover-" + i, null));
      }

      // Loopback TCP absorbs megabytes per socket before anything waits in the node, so the churn goes on, in bounded
      // rounds, until the node resynced every slow subscriber. Each round every mover changes its status and meta.
      int rounds = 0;
      for (int round = 1; round <= MAX_ROUNDS && resyncs() < SLOW_SUBSCRIBERS; round++) {
        for (TestSession mover : movers) {
          mover.send(status(round));
        }
        for (TestSession mover : movers) {
          mover.awaitNth("status.ok", round);
        }
        rounds = round;
      }
      assertThat(resyncs()).as("slow subscribers resynced").isGreaterThanOrEqualTo(SLOW_SUBSCRIBERS);
      // Past the budget every slow subscriber was cut off: what waits for them is at most twice the budget and a frame
      // or so each, not a socket's high-water mark (64 KiB) and more, each.
      assertThat(queuedBytes()).as("presence frames the node holds for its subscribers")
          .isLessThanOrEqualTo(BUDGET + SLOW_SUBSCRIBERS * SLACK_PER_SUBSCRIBER);

      // What every careful subscriber must end with: every session of the node, each mover with its last status.
      Map<String, String> now = new HashMap<>();
      for (String session : PresenceHttp.sessions(cluster.adminPort(0))) {
        now.put(session, "online");
      }
      String lastStatus = status(rounds).getString("status");
      movers.forEach(mover -> now.put(mover.sessionId(), lastStatus));

      // Reading again, all at once: each slow subscriber's messages, folded (a resync notice, then the fresh snapshot
      // that replaces the view), end in the cluster as it is now. Each reads until nothing came for QUIET with its view
      // that, or for WAIT without: a resync snapshot may wait on the budget (looked at again every 250 ms) while the
      // others drain.
      List<List<JsonObject>> read = RawWebSocketClient.readAll(slow, (i, subscriber) -> subscriber.readUntilSettled(
          List.of(firstStates.get(i)), messages -> Fold.of(messages).statuses.equals(now), QUIET, WAIT),
          WAIT.multipliedBy(3));
      int resynced = 0;
      for (List<JsonObject> messages : read) {
        Fold view = Fold.of(messages);
        assertThat(view.statuses).as("a slow subscriber's view once read; its messages: %s",
            messages.stream().map(m -> m.getString("type")).toList()).isEqualTo(now);
        resynced += view.resyncs > 0 ? 1 : 0;
      }
      assertThat(resynced).as("slow subscribers that were told to resync").isPositive();
      // The reader's view is true too. It may have been resynced while the slow subscribers held the budget, and its
      // snapshot (a kilobyte of meta per mover) waited for room below the hard cap until they read again.
      Awaitility.await("the reader's view").atMost(WAIT).untilAsserted(() ->
          assertThat(Fold.of(reader.received()).statuses).isEqualTo(now));
      // Every frame counted in was counted out: once everyone read, the node holds nothing for them.
      Awaitility.await("the budget drained").atMost(WAIT).until(() -> queuedBytes() == 0);
      movers.forEach(mover -> mover.send(new JsonObject().put("type", "bye")));
    } finally {
      slow.forEach(RawWebSocketClient::close);
    }
    assertThat(cluster.uncaught()).isEmpty();
    assertThat(ErrorLogRecorder.errors()).isEmpty();
  }

  /** A status change with a kilobyte of meta: {@code away} in odd rounds, {@code online} in even ones. */
  private static JsonObject status(int round) {
    return new JsonObject().put("type", "status").put("status", round % 2 == 1 ? "away" : "online")
        .put("meta", new JsonObject().put("round", round).put("pad", PAD));
  }

  /** A subscription's messages folded as a careful client folds them: session → status. */
  private static final class Fold {
    final Map<String, String> statuses = new HashMap<>();
    int resyncs;

    static Fold of(List<JsonObject> messages) {
      Fold fold = new Fold();
      boolean stale = false;
      for (JsonObject m : messages) {
        switch (m.getString("type")) {
          case "presence.state" -> {
            fold.statuses.clear();
            m.getJsonArray("sessions").stream().map(JsonObject.class::cast)
                .forEach(e -> fold.statuses.put(e.getString("session"), e.getString("status")));
            stale = false;
          }
          case "presence.resync" -> {
            fold.resyncs++;
            stale = true;
          }
          case "presence.diff" -> {
            if (!stale) {
              m.getJsonArray("joins").stream().map(JsonObject.class::cast)
                  .forEach(e -> fold.statuses.put(e.getString("session"), e.getString("status")));
              m.getJsonArray("leaves").stream().map(JsonObject.class::cast)
                  .forEach(e -> fold.statuses.remove(e.getString("session")));
              m.getJsonArray("updates").stream().map(JsonObject.class::cast).filter(e -> e.containsKey("status"))
                  .forEach(e -> fold.statuses.put(e.getString("session"), e.getString("status")));
            }
          }
          default -> {
          }
        }
      }
      return fold;
    }
  }

  private static double resyncs() {
    return PresenceHttp.metric(cluster.adminPort(0), "presence_subscription_resyncs_total");
  }

  private static double queuedBytes() {
    return PresenceHttp.metric(cluster.adminPort(0), "presence_watch_queued_bytes");
  }
}
