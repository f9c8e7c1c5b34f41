package dev.presence.faults;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * One presence node running the real packaged jar ({@code java -jar target/presence-node.jar}) in its
 * own process, its output in a log file. The harness kills it (SIGKILL), pauses it (SIGSTOP), wakes it
 * (SIGCONT) or drains it (SIGTERM) like an orchestrator or a crashing machine would.
 */
public final class JarNode implements AutoCloseable {

  /** Text log lines: {@code HH:mm:ss.SSS LEVEL [thread] logger - msg}. */
  private static final Pattern ERROR_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*");
  private static final Pattern UNCAUGHT = Pattern.compile("^Exception in thread .*");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final NodeSpec spec;
  private final Process process;
  private final Path log;
  private volatile boolean paused;

  private JarNode(NodeSpec spec, Process process, Path log) {
    this.spec = spec;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the node; does not wait for it (see {@link #awaitClusterSize}).
   *
   * @param jar    the packaged node
   * @param spec   its settings
   * @param logDir where its log file goes
   * @return the running process
   */
  public static JarNode launch(Path jar, NodeSpec spec, Path logDir) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run `mvn -B package` first "
          + "(failsafe runs after package, so `mvn -B verify` builds it)");
    }
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(spec.name() + "-" + spec.httpPort() + "-" + System.currentTimeMillis() + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC"));
      command.addAll(extraJvmArgs(spec.name() + "-" + spec.httpPort()));
      command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(key -> key.startsWith("PRESENCE_"));
      builder.environment().putAll(spec.environment());
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      return new JarNode(spec, ProcessReaper.track(builder.start()), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Extra JVM options for node processes, from the system property {@code faults.nodeJvmArgs} (space-separated;
   * {@code {node}} becomes the node's name and port), e.g. to record a JFR profile of each node:
   * {@code -Dfaults.nodeJvmArgs="-XX:StartFlightRecording=filename=target/jfr/{node}.jfr,settings=profile"}.
   */
  private static List<String> extraJvmArgs(String node) {
    String args = System.getProperty("faults.nodeJvmArgs", "").trim();
    return args.isEmpty() ? List.of() : List.of(args.replace("{node}", node).split("\\s+"));
  }

  /** Waits until the node's {@code /health} reports {@code size} members; fails with its log if not. */
  public void awaitClusterSize(int size, Duration atMost) {
    try {
      Awaitility.await(spec.name() + " sees " + size + " members").atMost(atMost)
          .pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(spec.name() + " exited with " + process.exitValue());
            }
            return clusterSize() == size;
          });
    } catch (RuntimeException e) {
      throw new IllegalStateException(e.getMessage() + "; " + spec.name() + " log:\n" + logTail(), e);
    }
  }

  /** @return the members its {@code /health} (admin listener) reports, or -1 if it does not answer within 2 s */
  public int clusterSize() {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + spec.adminPort() + "/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body()).getInteger("clusterSize", -1);
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL: no goodbye to the cluster; the kernel closes its sockets. Waits until it is gone. */
  public void kill9() {
    process.destroyForcibly();
    waitForExit(10);
  }

  /** SIGSTOP: frozen, sockets open, no heartbeats, like a long GC pause or a stuck VM. */
  public void pause() {
    ProcessReaper.signal(process, "-STOP");
    paused = true;
  }

  /** SIGCONT: wakes up believing nothing happened. */
  public void resume() {
    ProcessReaper.signal(process, "-CONT");
    paused = false;
  }

  /** SIGTERM: the node drains (1001 to its sessions) and leaves; waits up to 30 s. @return exit status */
  public int terminate() {
    ProcessReaper.signal(process, "-TERM");
    return waitForExit(30);
  }

  /** @return true while the process runs (a paused process is alive) */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** @return true between {@link #pause()} and {@link #resume()} */
  public boolean isPaused() {
    return paused;
  }

  /** @return HTTP/WebSocket port */
  public int httpPort() {
    return spec.httpPort();
  }

  /** @return its settings */
  public NodeSpec spec() {
    return spec;
  }

  /** @return its log file */
  public Path log() {
    return log;
  }

  /** @return the log's current length, to read only what a scenario added */
  public long logOffset() {
    try {
      return Files.size(log);
    } catch (IOException e) {
      return 0;
    }
  }

  /** @return ERROR-level lines and uncaught-exception lines written after {@code offset} */
  public List<String> errorLinesSince(long offset) {
    List<String> errors = new ArrayList<>();
    try {
      byte[] bytes = Files.readAllBytes(log);
      String text = new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
          java.nio.charset.StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (ERROR_LINE.matcher(line).matches() || UNCAUGHT.matcher(line).matches()) {
          errors.add(line);
        }
      }
    } catch (IOException e) {
      errors.add("log unreadable: " + e);
    }
    return errors;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private int waitForExit(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(spec.name() + " did not exit within " + seconds + " s");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the process if it still runs (a paused one too). */
  @Override
  public void close() {
    if (process.isAlive() && !System.getProperty("faults.nodeJvmArgs", "").isBlank()) {
      terminate(); // a graceful exit lets a recording started by faults.nodeJvmArgs be dumped
    }
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
