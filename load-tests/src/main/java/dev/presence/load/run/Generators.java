package dev.presence.load.run;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The generator processes of one measurement. Each holds at most 15,000 connections (a process may open
 * at most 20,000 files here, a hard limit) and, when asked, uses its own source address 127.0.0.x, so
 * that no source address runs out of ephemeral ports. Scenario thread only.
 */
public final class Generators implements AutoCloseable {

  /** Most connections one generator process holds (file limit 20,000 minus headroom). */
  public static final int MAX_PER_PROCESS = 15_000;

  private final List<GeneratorProcess> processes;

  private Generators(List<GeneratorProcess> processes) {
    this.processes = List.copyOf(processes);
  }

  /**
   * Starts {@code count} generators and waits until each is ready.
   *
   * @param run   the run
   * @param count how many processes
   * @param label a name for the log files
   * @return the ready generators
   */
  public static Generators start(RunContext run, int count, String label) {
    return start(run, count, label, null);
  }

  /**
   * As {@link #start(RunContext, int, String)}, connecting with wss:// and trusting {@code tls}'s certificate when
   * it is given.
   *
   * @return the ready generators
   */
  public static Generators start(RunContext run, int count, String label, LoadTls tls) {
    List<GeneratorProcess> started = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String id = "g" + i;
      List<String> command = new ArrayList<>(run.generatorCommandPrefix());
      command.addAll(List.of("-cp", run.loadJar().toString(), "dev.presence.load.Main", "generator", "--id", id,
          // 127.0.0.11, .12, ...: one source address per generator (all of 127/8 is loopback on Linux).
          "--local-address", "127.0.0." + (10 + i)));
      if (tls != null) {
        command.addAll(tls.generatorArguments());
      }
      ManagedProcess process = ManagedProcess.start(label + "-" + id, command, java.util.Map.of(),
          run.logDir().resolve(label + "-" + id + ".log"), true);
      started.add(new GeneratorProcess(id, process, run.statusLog()));
    }
    Generators generators = new Generators(started);
    started.forEach(g -> g.awaitReady(60_000));
    return generators;
  }

  /** @return how many processes {@code connections} need */
  public static int processesFor(int connections) {
    return Math.max(1, (connections + MAX_PER_PROCESS - 1) / MAX_PER_PROCESS);
  }

  /** @return the processes */
  public List<GeneratorProcess> processes() {
    return processes;
  }

  /** @return {@code total} split as evenly as possible over the processes (the first get the remainder) */
  public int[] split(int total) {
    int[] parts = new int[processes.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = total / parts.length + (i < total % parts.length ? 1 : 0);
    }
    return parts;
  }

  /**
   * Sends one command per generator (built from its index) and waits for every {@code done}.
   *
   * @param commandFor the command for generator {@code i}
   * @param timeoutMs  how long the slowest may take, ms
   * @return the done lines, in generator order
   */
  public List<JsonObject> all(IntFunction<JsonObject> commandFor, long timeoutMs) {
    List<JsonObject> commands = new ArrayList<>();
    List<CompletableFuture<JsonObject>> futures = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      commands.add(commandFor.apply(i));
      futures.add(processes.get(i).send(commands.get(i)));
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    List<JsonObject> done = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      String what = processes.get(i).id() + " " + commands.get(i).getString("cmd");
      JsonObject answer = GeneratorProcess.await(futures.get(i), Math.max(1, deadline - System.currentTimeMillis()),
          what);
      if (answer.containsKey("error")) {
        throw new IllegalStateException(what + ": " + answer.getString("error"));
      }
      done.add(answer);
    }
    return done;
  }

  /** @return connections open now, summed over the generators' last status lines */
  public long open() {
    return processes.stream().mapToLong(g -> g.lastStatus().getLong("open", 0L)).sum();
  }

  /** Ends every generator (stdin closed, then SIGTERM/SIGKILL if it lingers). */
  @Override
  public void close() {
    processes.forEach(GeneratorProcess::exit);
    processes.forEach(g -> g.process().awaitExitOrKill(5_000));
  }

  /** @return a JSON object for a command name, to chain {@code put}s on */
  public static JsonObject command(String name) {
    return new JsonObject().put("cmd", name);
  }
}
