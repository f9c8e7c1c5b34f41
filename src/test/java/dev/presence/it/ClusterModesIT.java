package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.FreePorts;
import dev.presence.testing.NodeProcess;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Nodes in tcp mode form a cluster from an explicit member list, one configured through a --conf file and
 * one through environment variables; presence then spans both. (local mode is what every other cluster
 * test runs; kubernetes mode is checked by rendering in ClusterConfigFilesTest and the manifest test.)
 */
class ClusterModesIT {

  @Test
  void two_nodes_in_tcp_mode_one_from_a_conf_file_one_from_the_environment_form_one_cluster() throws Exception {
    String name = "tcp-" + UUID.randomUUID();
    int hzA = FreePorts.next();
    int hzB = FreePorts.next();
    int httpA = FreePorts.next();
    int httpB = FreePorts.next();
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    Path conf = Files.createTempFile(Path.of("target"), "tcp-node-", ".json");
    Files.writeString(conf, "{\"PRESENCE_AUTH\":\"none\",\"PRESENCE_CLUSTER_MODE\":\"tcp\",\"PRESENCE_CLUSTER_NAME\":\"" + name + "\","
        + "\"PRESENCE_HZ_MEMBERS\":\"" + members + "\",\"PRESENCE_HZ_PORT\":" + hzA + ","
        + "\"PRESENCE_HTTP_PORT\":" + httpA + "}");
    Vertx clientVertx = Vertx.vertx();
    try (NodeProcess fromFile = NodeProcess.start(httpA, Map.of(), List.of("--conf", conf.toString()), 1);
         NodeProcess fromEnv = NodeProcess.start(httpB, Map.of("PRESENCE_AUTH", "none", "PRESENCE_CLUSTER_MODE", "tcp",
             "PRESENCE_CLUSTER_NAME", name, "PRESENCE_HZ_MEMBERS", members,
             "PRESENCE_HZ_PORT", String.valueOf(hzB), "PRESENCE_HTTP_PORT", String.valueOf(httpB)), List.of(), 2)) {
      assertThat(fromFile.clusterSize()).isEqualTo(2);
      TestSession session = TestSession.hello(clientVertx.createWebSocketClient(), httpA, "tara", "Tara");
      assertThat(PresenceHttp.sessions(fromEnv.adminPort())).contains(session.sessionId());
      assertThat(Files.readString(fromFile.log().toPath())).contains("in tcp mode");
    } finally {
      clientVertx.close();
    }
  }

  @Test
  void an_invalid_setting_stops_the_node_at_start_with_one_message_naming_it() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        dev.presence.Main.class.getName()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("PRESENCE_"));
    builder.environment().put("PRESENCE_CLUSTER_MODE", "multicast");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).isEqualTo(1);
    assertThat(output).contains("invalid configuration").contains("PRESENCE_CLUSTER_MODE");
  }
}
