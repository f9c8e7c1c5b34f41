package dev.presence.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network partition between members on loopback aliases: iptables DROP rules in the OUTPUT chain (loopback
 * traffic passes it once) for every packet between the isolated address and each other member address,
 * both ways. Only Hazelcast and event-bus traffic is cut: HTTP/WebSocket listens on 127.0.0.1, so clients
 * still reach every node. Rules carry a comment naming this run and are removed on {@link #heal()},
 * {@link #close()} and by a JVM shutdown hook.
 */
final class LoopbackPartition implements AutoCloseable {

  private final List<List<String>> rules = new ArrayList<>();
  private final Thread cleanup = new Thread(this::heal, "partition-cleanup");

  private LoopbackPartition() {
  }

  /** @return null if iptables works here, else why not */
  static String unavailableReason() {
    try {
      Process p = new ProcessBuilder("iptables", "-w", "5", "-L", "OUTPUT", "-n").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "iptables -L failed: " + out.trim();
      }
      return null;
    } catch (IOException e) {
      return "iptables is not installed (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Cuts {@code isolated} off from every one of {@code others}, both ways. */
  static LoopbackPartition isolate(String isolated, List<String> others, String runTag) {
    return split(List.of(isolated), others, runTag);
  }

  /** Cuts every address of {@code side} off from every one of {@code others}, both ways; each side stays whole. */
  static LoopbackPartition split(List<String> side, List<String> others, String runTag) {
    LoopbackPartition partition = new LoopbackPartition();
    Runtime.getRuntime().addShutdownHook(partition.cleanup);
    try {
      for (String cut : side) {
        for (String other : others) {
          partition.add(cut, other, runTag);
          partition.add(other, cut, runTag);
        }
      }
      return partition;
    } catch (RuntimeException e) {
      partition.heal();
      throw e;
    }
  }

  private void add(String from, String to, String tag) {
    List<String> rule = List.of("OUTPUT", "-s", from, "-d", to, "-m", "comment", "--comment", tag, "-j", "DROP");
    iptables("-I", rule);
    rules.add(rule);
  }

  /** Removes every rule it added (idempotent). */
  synchronized void heal() {
    for (List<String> rule : rules) {
      try {
        iptables("-D", rule);
      } catch (RuntimeException e) {
        System.out.println("[faults] could not remove iptables rule " + rule + ": " + e.getMessage());
      }
    }
    rules.clear();
  }

  private static void iptables(String action, List<String> rule) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", action));
    command.addAll(rule);
    LoopbackAliases.run(command);
  }

  @Override
  public void close() {
    heal();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }
}
