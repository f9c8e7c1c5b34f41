package dev.presence.testing;

import dev.presence.Main;
import dev.presence.config.PresenceConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A presence node in its own JVM process (the real {@link Main}, with this JVM's classpath), so a test
 * can kill it with SIGKILL like a crashed machine: no goodbye to the cluster, sockets reset by the
 * kernel. Its output goes to a log file under {@code target/}.
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final PresenceConfig config;

  private NodeProcess(Process process, Path log, PresenceConfig config) {
    this.process = process;
    this.log = log;
    this.config = config;
  }

  /**
   * Starts the node and waits until its {@code /health} reports {@code expectedClusterSize} members.
   *
   * @param config               its settings (passed as PRESENCE_* environment variables)
   * @param expectedClusterSize  members it must see before this returns
   * @return the running process
   */
  public static NodeProcess start(PresenceConfig config, int expectedClusterSize) throws IOException {
    return start(config, expectedClusterSize, java.util.Map.of());
  }

  /**
   * As {@link #start(PresenceConfig, int)}, with more environment variables (e.g. PRESENCE_LOG_FORMAT).
   *
   * @param extraEnv variables added to the node's environment
   * @return the running process
   */
  public static NodeProcess start(PresenceConfig config, int expectedClusterSize,
      java.util.Map<String, String> extraEnv) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile(Path.of("target"), "node-" + config.httpPort() + "-", ".log");
    // The production logging configuration, not this test JVM's logback-test.xml (both are on the path).
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), Main.class.getName());
    builder.environment().putAll(TestCluster.env(config));
    builder.environment().putAll(extraEnv);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    NodeProcess node = new NodeProcess(builder.start(), log, config);
    try {
      Awaitility.await("node process on port " + config.httpPort()).atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> node.clusterSize() == expectedClusterSize);
    } catch (RuntimeException e) {
      node.close();
      throw new IllegalStateException("node process did not start; log: " + Files.readString(log), e);
    }
    return node;
  }

  /** @return members the node reports on /health, or -1 if it does not answer */
  public int clusterSize() {
    if (!process.isAlive()) {
      throw new IllegalStateException("node process exited with " + process.exitValue());
    }
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort() + "/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return new io.vertx.core.json.JsonObject(response.body()).getInteger("clusterSize");
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** @return its settings */
  public PresenceConfig config() {
    return config;
  }

  /** SIGKILL (kill -9): the JVM gets no chance to close anything. Waits until the process is gone. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /**
   * SIGTERM, as an orchestrator stops a process; waits up to 60 s for it to exit.
   *
   * @return the exit status
   */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("node process did not exit within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** @return the node's log file */
  public File log() {
    return log.toFile();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
