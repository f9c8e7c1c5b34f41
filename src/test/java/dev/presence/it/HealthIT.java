package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.transport.HttpPaths;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Liveness and readiness say which check failed; draining turns readiness off and refuses new sessions. */
class HealthIT {

  @Test
  void a_running_node_is_live_and_ready_and_its_json_names_each_check() {
    try (TestCluster cluster = TestCluster.start(1, TestCluster.Timings.DEFAULTS)) {
      PresenceHttp.Response live = PresenceHttp.get(cluster.adminPort(0), HttpPaths.LIVE);
      assertThat(live.status()).isEqualTo(200);
      assertThat(check(live.body(), "event-loops").getString("status")).isEqualTo("UP");
      PresenceHttp.Response ready = PresenceHttp.get(cluster.adminPort(0), HttpPaths.READY);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(check(ready.body(), "cluster").getString("status")).isEqualTo("UP");
      assertThat(check(ready.body(), "draining").getString("status")).isEqualTo("UP");
    }
  }

  @Test
  void draining_turns_readiness_off_at_once_and_refuses_new_websocket_sessions() {
    try (TestCluster cluster = TestCluster.start(1, TestCluster.Timings.DEFAULTS)) {
      cluster.node(0).health().startDraining();
      PresenceHttp.Response ready = PresenceHttp.get(cluster.adminPort(0), HttpPaths.READY);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(check(ready.body(), "draining").getString("status")).isEqualTo("DOWN");
      assertThat(PresenceHttp.get(cluster.adminPort(0), HttpPaths.LIVE).status()).isEqualTo(200);
      assertThat(PresenceHttp.get(cluster.adminPort(0), HttpPaths.HEALTH).body().getBoolean("draining")).isTrue();
      Assertions.assertThatThrownBy(() -> RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws",
          Duration.ofSeconds(5))).hasMessageContaining("503");
    }
  }

  @Test
  void readiness_and_the_summary_turn_503_when_the_hazelcast_member_is_gone() {
    try (TestCluster cluster = TestCluster.start(1, TestCluster.Timings.DEFAULTS)) {
      cluster.node(0).runtime().terminateMemberAbruptly();
      PresenceHttp.Response ready = PresenceHttp.get(cluster.adminPort(0), HttpPaths.READY);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(check(ready.body(), "cluster").getString("status")).isEqualTo("DOWN");
      PresenceHttp.Response health = PresenceHttp.get(cluster.adminPort(0), HttpPaths.HEALTH);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.body().getString("status")).isEqualTo("DOWN");
    }
  }

  private static JsonObject check(JsonObject body, String id) {
    return body.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + body.encode()));
  }
}
