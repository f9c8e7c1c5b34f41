package dev.presence.faults;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link ClientProcessMain} in its own JVM, seen from the harness: every event it prints goes into the
 * {@link History}; the harness kills it (kill -9) or freezes it (SIGSTOP) and records that as the fault
 * on each of its sessions.
 */
public final class ClientProcess implements AutoCloseable {

  private final Process process;
  private final History history;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Map<String, HistoryEvent> welcomes = new ConcurrentHashMap<>();

  private ClientProcess(Process process, History history) {
    this.process = process;
    this.history = history;
  }

  /**
   * Starts the process with this JVM's test classpath and waits until all its sessions are welcomed.
   *
   * @param listener plain, or TLS trusting the nodes' pair
   * @param ports    node HTTP ports, used round robin
   * @param sessions how many sessions it opens
   * @param prefix   user/nick/client-key prefix, unique within the run
   * @param rooms    the scenario's rooms: session i joins {@link RoomWatch#roomsOf}(rooms, i) before READY
   * @return the running process
   */
  public static ClientProcess start(NodeListener listener, List<Integer> ports, int sessions, String prefix,
      List<String> rooms, History history, Path logDir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", testClasspath(),
        ClientProcessMain.class.getName(), "--ports", ports.stream().map(String::valueOf).collect(Collectors.joining(",")),
        "--sessions", String.valueOf(sessions), "--prefix", prefix, "--max-seconds", "300"));
    if (!rooms.isEmpty()) {
      command.addAll(List.of("--rooms", String.join(",", rooms)));
    }
    command.addAll(listener.processArguments());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(logDir.resolve("client-" + prefix + ".err.log").toFile());
    ClientProcess client;
    try {
      client = new ClientProcess(ProcessReaper.track(builder.start()), history);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread reader = new Thread(client::readEvents, "client-process-" + prefix);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!client.ready.await(60, TimeUnit.SECONDS)) {
        client.close();
        throw new IllegalStateException("client process " + prefix
            + " did not welcome its sessions (and join their rooms) within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return client;
  }

  /** Surefire/failsafe runs tests from a manifest-only jar; its manifest lists the real test classpath. */
  private static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private void readEvents() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals(ClientProcessMain.READY)) {
          ready.countDown();
        } else if (line.startsWith("{")) {
          HistoryEvent event = HistoryEvent.fromJson(new JsonObject(line));
          if (event.type() == EventType.WELCOME) {
            welcomes.put(event.client(), event);
          }
          history.accept(event);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process was killed: its stdout ends. Events already read are in the history.
    }
  }

  /** @return server session ids of its welcomed sessions */
  public Set<String> sessions() {
    return welcomes.values().stream().map(HistoryEvent::session).collect(Collectors.toSet());
  }

  /** kill -9, recorded on each of its sessions. @return the fault's epoch ms */
  public long kill9() {
    long at = recordOnEverySession(EventType.CLIENT_KILLED);
    process.destroyForcibly();
    awaitExit();
    exitedAfterMs = System.currentTimeMillis() - at;
    return at;
  }

  /**
   * @return ms from the SIGKILL until the process was reaped: the kernel closes a process's sockets (FIN or
   *     RST) only while tearing it down, so this much of a kill -9 ghost window passes before any node can see
   *     a thing; -1 before {@link #kill9}
   */
  public long exitedAfterMs() {
    return exitedAfterMs;
  }

  private long exitedAfterMs = -1;

  /** SIGSTOP, recorded on each of its sessions: no FIN, no pong, nothing read. @return the fault's epoch ms */
  public long freeze() {
    long at = recordOnEverySession(EventType.CLIENT_STOPPED);
    ProcessReaper.signal(process, "-STOP");
    return at;
  }

  private long recordOnEverySession(EventType type) {
    long at = System.currentTimeMillis();
    List<HistoryEvent> marks = new ArrayList<>();
    welcomes.values().forEach(w -> marks.add(new HistoryEvent(at, w.client(), w.user(), w.port(), type, null, null,
        null, w.session(), null)));
    marks.forEach(history);
    return at;
  }

  private void awaitExit() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return true while it runs */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills it if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
    awaitExit();
  }
}
