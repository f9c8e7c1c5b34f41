package dev.presence.load.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process with its log file, known and stopped by its PID only. Thread-safe.
 */
public final class ManagedProcess {

  private final String name;
  private final Process process;
  private final Path log;
  private final long startedAtMs = System.currentTimeMillis();

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** @return epoch ms when it was started (a JVM's uptime counts from about then) */
  public long startedAtMs() {
    return startedAtMs;
  }

  /**
   * Starts a process and registers it for cleanup.
   *
   * @param name        short name for logs and the report ("node-1", "bare-1", "g3")
   * @param command     the command line
   * @param environment variables to set (after removing every inherited PRESENCE_* variable)
   * @param log         file for its output (stderr always; stdout too unless {@code pipeStdout})
   * @param pipeStdout  true to read its stdout (generators), false to send it to the log
   * @return the started process
   */
  public static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path log,
      boolean pipeStdout) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(key -> key.startsWith("PRESENCE_"));
      builder.environment().putAll(environment);
      builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (!pipeStdout) {
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      }
      Files.writeString(log, String.join(" ", command) + "\n");
      ManagedProcess started = new ManagedProcess(name, builder.start(), log);
      ProcessRegistry.register(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** @return the short name */
  public String name() {
    return name;
  }

  /** @return the operating system's process id */
  public long pid() {
    return process.pid();
  }

  /** @return the process itself (stdin and stdout of a generator) */
  Process process() {
    return process;
  }

  /** @return its log file */
  public Path log() {
    return log;
  }

  /** @return true while it runs */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (our node then drains its sessions); does not wait. */
  void signalTerm() {
    process.destroy();
  }

  /**
   * Waits for the exit, SIGKILL after {@code graceMs}.
   *
   * @param graceMs how long SIGTERM may take, ms
   */
  void awaitExitOrKill(long graceMs) {
    try {
      if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** SIGKILL, like a crashing machine; waits up to 10 s for the exit. */
  public void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM and wait (up to {@code graceMs}, then SIGKILL). */
  public void stop(long graceMs) {
    signalTerm();
    awaitExitOrKill(graceMs);
  }

  /** @return the last {@code lines} lines of its log, for error messages */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
