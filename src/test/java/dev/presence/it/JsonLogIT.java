package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.FreePorts;
import dev.presence.testing.NodeProcess;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** PRESENCE_LOG_FORMAT=json: every log line is a JSON object; lifecycle lines carry session, user, node, reason. */
class JsonLogIT {

  @Test
  void with_json_logs_each_line_parses_and_a_session_leaves_one_line_per_lifecycle_event() throws Exception {
    int hz = FreePorts.next();
    var config = TestCluster.config("test-" + UUID.randomUUID(), FreePorts.next(), hz, "127.0.0.1:" + hz,
        TestCluster.Timings.DEFAULTS);
    Vertx clientVertx = Vertx.vertx();
    try (NodeProcess node = NodeProcess.start(config, 1, Map.of("PRESENCE_LOG_FORMAT", "json"))) {
      TestSession session = TestSession.hello(clientVertx.createWebSocketClient(), config.httpPort(), "jo", null);
      String id = session.sessionId();
      session.send(new JsonObject().put("type", "bye"));
      session.awaitClose(Duration.ofSeconds(5));

      Awaitility.await("leave logged").atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(node.log().toPath()).contains("\"session left\""));
      List<JsonObject> lines = Files.readAllLines(node.log().toPath()).stream()
          .filter(line -> !line.isBlank()).map(JsonObject::new).toList(); // throws if a line is not JSON
      JsonObject left = lines.stream().filter(l -> "session left".equals(l.getString("message")))
          .findFirst().orElseThrow();
      assertThat(keyValues(left)).containsEntry("session", id).containsEntry("user", "jo")
          .containsEntry("reason", "bye").containsKey("node");
      assertThat(lines).anyMatch(l -> "session joined".equals(l.getString("message"))
          && id.equals(keyValues(l).get("session")));
    } finally {
      clientVertx.close();
    }
  }

  private static Map<String, Object> keyValues(JsonObject line) {
    JsonArray kvp = line.getJsonArray("kvpList", new JsonArray());
    java.util.Map<String, Object> all = new java.util.HashMap<>();
    kvp.forEach(entry -> all.putAll(((JsonObject) entry).getMap()));
    return all;
  }
}
