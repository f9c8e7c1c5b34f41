package dev.presence.faults;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process the harness starts is registered here, so that a JVM shutdown hook kills whatever a
 * failed or interrupted run left behind (by its own handle, never by name). SIGKILL also ends a process
 * stopped with SIGSTOP.
 */
final class ProcessReaper {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "fault-harness-reaper"));
  }

  private ProcessReaper() {
  }

  /** @return the process, now registered */
  static Process track(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return process;
  }

  static void killAll() {
    LIVE.forEach(Process::destroyForcibly);
  }

  /** Sends a signal ("-STOP", "-CONT", "-TERM") to one process by its pid. */
  static void signal(Process process, String signal) {
    try {
      int status = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
      if (status != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited with " + status);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
