package dev.presence.load.run;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One generator JVM seen from the orchestrator: commands go to its stdin as JSON lines, its stdout is
 * read by a daemon thread that files {@code status} lines into the run's {@link StatusLog} and completes
 * the command a {@code done} line answers. Thread-safe.
 */
public final class GeneratorProcess {

  private final String id;
  private final ManagedProcess process;
  private final Writer stdin;
  private final StatusLog statusLog;
  private final Map<String, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<JsonObject> ready = new CompletableFuture<>();
  private final AtomicReference<JsonObject> lastStatus = new AtomicReference<>(new JsonObject());
  private final AtomicInteger commandIds = new AtomicInteger();

  GeneratorProcess(String id, ManagedProcess process, StatusLog statusLog) {
    this.id = id;
    this.process = process;
    this.statusLog = statusLog;
    this.stdin = new OutputStreamWriter(process.process().getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readStdout, "generator-" + id + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** @return the generator id ("g1") */
  public String id() {
    return id;
  }

  /** @return its process */
  public ManagedProcess process() {
    return process;
  }

  /** @return its most recent status line (empty before the first) */
  public JsonObject lastStatus() {
    return lastStatus.get();
  }

  /** Waits for the generator's {@code ready} line. */
  void awaitReady(long timeoutMs) {
    await(ready, timeoutMs, "ready");
  }

  /**
   * Sends a command without waiting.
   *
   * @param command the command; an {@code id} is added
   * @return completes with the {@code done} line
   */
  public CompletableFuture<JsonObject> send(JsonObject command) {
    String commandId = id + "-" + commandIds.incrementAndGet();
    CompletableFuture<JsonObject> done = new CompletableFuture<>();
    pending.put(commandId, done);
    try {
      synchronized (stdin) {
        stdin.write(command.copy().put("id", commandId).encode() + "\n");
        stdin.flush();
      }
    } catch (IOException e) {
      pending.remove(commandId);
      done.completeExceptionally(new IllegalStateException("generator " + id + " does not take commands; log:\n"
          + process.logTail(30), e));
    }
    return done;
  }

  /** Closes stdin: the generator exits and the kernel closes its connections. */
  void exit() {
    try {
      synchronized (stdin) {
        stdin.close();
      }
    } catch (IOException e) {
      // already gone: nothing to stop
    }
  }

  static JsonObject await(CompletableFuture<JsonObject> future, long timeoutMs, String what) {
    try {
      return future.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + ": no answer within " + timeoutMs + " ms", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted", e);
    }
  }

  private void readStdout() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.process().getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("{")) {
          onLine(new JsonObject(line));
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended or wrote garbage; pending commands fail below.
    }
    IllegalStateException gone = new IllegalStateException("generator " + id + " ended; log:\n" + process.logTail(30));
    ready.completeExceptionally(gone);
    pending.values().forEach(f -> f.completeExceptionally(gone));
  }

  private void onLine(JsonObject line) {
    switch (line.getString("type", "")) {
      case "status" -> {
        lastStatus.set(line);
        statusLog.add(line);
      }
      case "ready" -> ready.complete(line);
      case "done" -> {
        CompletableFuture<JsonObject> done = pending.remove(line.getString("id"));
        if (done != null) {
          done.complete(line);
        }
      }
      default -> {
      }
    }
  }
}
