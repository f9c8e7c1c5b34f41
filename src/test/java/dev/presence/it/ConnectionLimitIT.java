package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.presence.config.LimitSettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-IP connection limit of a node: one more upgrade from the same address gets HTTP 429 before any
 * WebSocket exists, the connections already open keep working, and a closed (or reset) connection frees its place.
 */
class ConnectionLimitIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final int MAX_PER_IP = 3;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new TestCluster.Timings(10_000, 30_000, 60_000, 5_000),
        c -> c.with(c.auth(), new LimitSettings(MAX_PER_IP, 1_000, 1_000, 1_000, 1_000)));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawWebSocketClient connect() throws IOException {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
  }

  @Test
  void one_connection_over_the_limit_gets_429_and_a_closed_one_frees_its_place() throws Exception {
    List<RawWebSocketClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_PER_IP; i++) {
        RawWebSocketClient ws = connect();
        ws.sendText(new JsonObject().put("type", "hello").put("user", "u" + i).encode());
        ws.awaitType("welcome", WAIT);
        open.add(ws);
      }
      assertThatThrownBy(ConnectionLimitIT::connect).hasMessageContaining("429");
      assertThat(PresenceHttp.metrics(cluster.adminPort(0)))
          .contains("presence_refusals_total{code=\"connection_limit\"");

      open.get(0).sendText("{\"type\":\"ping\",\"seq\":1}");
      assertThat(open.get(0).awaitType("pong", WAIT).getInteger("seq")).isEqualTo(1);

      open.remove(0).resetAbruptly();
      RawWebSocketClient again = await().atMost(WAIT).ignoreExceptions().until(ConnectionLimitIT::connect, ws -> true);
      open.add(again);
      again.sendText("{\"type\":\"hello\",\"user\":\"again\"}");
      assertThat(again.awaitType("welcome", WAIT).getString("user")).isEqualTo("again");
    } finally {
      open.forEach(RawWebSocketClient::close);
    }
  }
}
