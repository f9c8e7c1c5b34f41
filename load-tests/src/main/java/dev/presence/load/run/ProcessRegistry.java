package dev.presence.load.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Every child process this orchestrator started, so that all of them are stopped by PID at the end of a
 * scenario, on failure, and from a JVM shutdown hook (Ctrl-C), and so that the run can prove none is
 * left. Thread-safe.
 */
public final class ProcessRegistry {

  private static final List<ManagedProcess> STARTED = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::killAll, "stop-children"));
  }

  private ProcessRegistry() {
  }

  static synchronized void register(ManagedProcess process) {
    STARTED.add(process);
  }

  /** Stops every child still running: SIGTERM, a short grace, then SIGKILL; waits for each. */
  public static void stopAll() {
    List<ManagedProcess> running;
    synchronized (ProcessRegistry.class) {
      running = STARTED.stream().filter(ManagedProcess::isAlive).toList();
    }
    running.forEach(ManagedProcess::signalTerm);
    running.forEach(p -> p.awaitExitOrKill(10_000));
  }

  private static void killAll() {
    List<ManagedProcess> running;
    synchronized (ProcessRegistry.class) {
      running = new ArrayList<>(STARTED);
    }
    running.forEach(ManagedProcess::kill9);
  }

  /** @return "name (pid N)" of every child that is still alive; empty when the run cleaned up */
  public static synchronized List<String> stillAlive() {
    return STARTED.stream().filter(ManagedProcess::isAlive).map(p -> p.name() + " (pid " + p.pid() + ")").toList();
  }

  /** @return process ids of the children still running */
  static synchronized List<Long> livePids() {
    return STARTED.stream().filter(ManagedProcess::isAlive).map(ManagedProcess::pid).toList();
  }

  /** @return how many children were started in this run */
  public static synchronized int startedCount() {
    return STARTED.size();
  }
}
