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
  private final int httpPort;
  private final int adminPort;

  private NodeProcess(Process process, Path log, int httpPort, int adminPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
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
    java.util.Map<String, String> env = new java.util.HashMap<>(TestCluster.env(config));
    if (config.admin().port() == 0) {
      env.remove("PRESENCE_ADMIN_PORT"); // a process cannot tell its bound port: start() gives it a free one
    }
    env.putAll(extraEnv);
    return start(config.httpPort(), env, java.util.List.of(), expectedClusterSize);
  }

  /**
   * Starts {@link Main} with exactly this environment (plus the machine's) and these arguments, e.g. to
   * configure it through a {@code --conf} file.
   *
   * <p>Unless {@code env} sets them, the node gets a free {@code PRESENCE_ADMIN_PORT} (several nodes share this
   * machine) and {@code PRESENCE_API_KEYS} = {@link PresenceHttp#API_KEY}.
   *
   * @param httpPort            the HTTP port the settings give it
   * @param env                 PRESENCE_* variables
   * @param args                program arguments
   * @param expectedClusterSize members it must see before this returns
   * @return the running process
   */
  public static NodeProcess start(int httpPort, java.util.Map<String, String> givenEnv, java.util.List<String> args,
      int expectedClusterSize) throws IOException {
    java.util.Map<String, String> env = new java.util.HashMap<>(givenEnv);
    env.computeIfAbsent("PRESENCE_ADMIN_PORT", k -> String.valueOf(FreePorts.next()));
    env.putIfAbsent("PRESENCE_API_KEYS", PresenceHttp.API_KEY);
    int adminPort = Integer.parseInt(env.get("PRESENCE_ADMIN_PORT"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile(Path.of("target"), "node-" + httpPort + "-", ".log");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xmx512m",
        // The production logging configuration, not this test JVM's logback-test.xml (both are on the path).
        "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("PRESENCE_"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    NodeProcess node = new NodeProcess(builder.start(), log, httpPort, adminPort);
    try {
      Awaitility.await("node process on port " + httpPort).atMost(Duration.ofSeconds(60))
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
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return new io.vertx.core.json.JsonObject(response.body()).getInteger("clusterSize");
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** @return its HTTP port (public listener) */
  public int httpPort() {
    return httpPort;
  }

  /** @return its admin port (health, metrics, read API) */
  public int adminPort() {
    return adminPort;
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

  /** SIGSTOP: the node freezes (no heartbeats, no I/O) without its sockets closing, like a long GC pause. */
  public void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** SIGCONT: the node wakes up, believing nothing happened. */
  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    int status = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (status != 0) {
      throw new IOException("kill " + signal + " " + process.pid() + " exited with " + status);
    }
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
