package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue #15 §4 against two nodes: one user claims a nickname, resets the connection (TCP RST, no
 * close frame), reconnects, claims another, and so on, hoping each reset leaves one more nickname reserved for it.
 * With {@code PRESENCE_MAX_GRACE_LEASES_PER_USER=3} the two oldest are freed and another user gets them, while the
 * newest three stay reserved for their owner for the whole grace period.
 */
class GraceLeaseCapIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  /** Longer than the test: a reservation seen free here was freed by the cap, not by the end of its grace. */
  static final long GRACE_MS = 120_000;
  static final int CAP = 3;
  static final List<String> NICKS = List.of("SquatterA", "SquatterB", "SquatterC", "SquatterD", "SquatterE");
  static TestCluster cluster;
  static Vertx clientVertx;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new TestCluster.Timings(500, 2_500, GRACE_MS, 5_000),
        c -> c.with(c.auth(), TestCluster.GENEROUS_LIMITS.withMaxGraceLeasesPerUser(CAP)));
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    clientVertx.close();
  }

  @Test
  void five_claim_and_reset_cycles_reserve_only_the_newest_three_and_another_user_claims_the_two_oldest()
      throws Exception {
    for (int cycle = 0; cycle < NICKS.size(); cycle++) {
      String nick = NICKS.get(cycle);
      // Alternate nodes: the cap is the user's across the cluster, not per node.
      RawWebSocketClient squatter = RawWebSocketClient.connect("127.0.0.1", cluster.port(cycle % 2), "/ws", WAIT);
      squatter.sendText("{\"type\":\"hello\",\"user\":\"squatter\",\"nick\":\"" + nick + "\"}");
      assertThat(squatter.awaitType("welcome", WAIT).getString("nick")).isEqualTo(nick);
      squatter.resetAbruptly();
      // One cycle after the other, as the attack runs: each reset has put its nickname in grace.
      Awaitility.await(nick + " in grace").atMost(WAIT).until(() -> "grace".equals(state(nick)));
    }

    Awaitility.await("the two oldest freed").atMost(WAIT)
        .until(() -> state("SquatterA") == null && state("SquatterB") == null);
    assertThat(NICKS).filteredOn(nick -> "grace".equals(state(nick))).as("reserved for the squatter")
        .containsExactly("SquatterC", "SquatterD", "SquatterE");

    TestSession victor = TestSession.hello(client, cluster.port(0), "victor", "SquatterA");
    assertThat(victor.awaitType("welcome").getString("nick")).isEqualTo("SquatterA");
    TestSession wendy = TestSession.hello(client, cluster.port(1), "wendy", "SquatterB");
    assertThat(wendy.awaitType("welcome").getString("nick")).isEqualTo("SquatterB");
    TestSession trudy = TestSession.hello(client, cluster.port(1), "trudy", "SquatterC");
    assertThat(trudy.awaitType("error").getString("code")).isEqualTo("nick_taken");

    // The owner still gets a reserved one back at once.
    TestSession back = TestSession.hello(client, cluster.port(0), "squatter", "SquatterE");
    assertThat(back.awaitType("welcome").getString("nick")).isEqualTo("SquatterE");
    assertThat(cluster.uncaught()).isEmpty();
  }

  /** @return the nickname's state as a node reports it ({@code held}, {@code grace}), or null when free */
  private static String state(String nick) {
    PresenceHttp.Response response = PresenceHttp.nickname(cluster.adminPort(0), nick);
    return response.status() == 404 ? null : response.body().getString("state");
  }
}
