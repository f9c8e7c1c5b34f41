package dev.presence.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Extra loopback addresses (127.0.0.2, ...) on {@code lo} for the partition cluster's members. Hazelcast's
 * interface matching only binds to an address an interface actually carries, and 127.0.0.1/8 being
 * routable is not enough. Adds only the addresses that are missing and removes exactly those again (on
 * {@link #close()} and in a JVM shutdown hook).
 */
final class LoopbackAliases implements AutoCloseable {

  private final List<String> added = new ArrayList<>();
  private final Thread cleanup = new Thread(this::removeAdded, "loopback-alias-cleanup");

  /** Adds each missing address as a /32 on lo. */
  static LoopbackAliases ensure(List<String> addresses) {
    LoopbackAliases aliases = new LoopbackAliases();
    Runtime.getRuntime().addShutdownHook(aliases.cleanup);
    try {
      String present = run(List.of("ip", "-4", "addr", "show", "dev", "lo"));
      for (String address : addresses) {
        if (!present.contains("inet " + address + "/")) {
          run(List.of("ip", "addr", "add", address + "/32", "dev", "lo"));
          aliases.added.add(address);
        }
      }
      return aliases;
    } catch (RuntimeException e) {
      aliases.close();
      throw e;
    }
  }

  private synchronized void removeAdded() {
    for (String address : added) {
      try {
        run(List.of("ip", "addr", "del", address + "/32", "dev", "lo"));
      } catch (RuntimeException e) {
        System.out.println("[faults] could not remove loopback alias " + address + ": " + e.getMessage());
      }
    }
    added.clear();
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    removeAdded();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }
}
