package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code who} is bounded: past the limit it lists the first sessions by id and says it was truncated. */
class WhoLimitIT {

  @Test
  void who_lists_at_most_the_limit_in_session_order_and_says_truncated_while_http_paging_lists_all() {
    Vertx clientVertx = Vertx.vertx();
    try (TestCluster cluster = TestCluster.start(2, TestCluster.Timings.DEFAULTS, 5)) {
      WebSocketClient client = clientVertx.createWebSocketClient();
      List<TestSession> sessions = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        sessions.add(TestSession.hello(client, cluster.port(i % 2), "user-" + i, null));
      }
      Set<String> all = new TreeSet<>();
      sessions.forEach(s -> all.add(s.sessionId()));

      sessions.get(0).send(new JsonObject().put("type", "who"));
      JsonObject who = sessions.get(0).awaitType("who");
      assertThat(who.getBoolean("truncated")).isTrue();
      assertThat(who.getJsonArray("sessions").stream().map(e -> ((JsonObject) e).getString("session")).toList())
          .containsExactlyElementsOf(all.stream().limit(5).toList());

      assertThat(PresenceHttp.get(cluster.adminPort(1), "/presence?limit=3").body().getString("next")).isNotNull();
      assertThat(PresenceHttp.sessions(cluster.adminPort(1))).containsExactlyInAnyOrderElementsOf(all);
    } finally {
      clientVertx.close();
    }
  }
}
