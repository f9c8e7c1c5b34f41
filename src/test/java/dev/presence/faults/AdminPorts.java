package dev.presence.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin port (health, metrics, read API) of every node process this JVM launched, by its HTTP port: the suite
 * names a node by its HTTP port everywhere (scenarios, histories, reports), while its reads go to the admin
 * listener. Ports are handed out once per JVM ({@code FreePorts}), so the mapping never changes. Thread-safe.
 */
final class AdminPorts {

  private static final Map<Integer, Integer> BY_HTTP_PORT = new ConcurrentHashMap<>();

  private AdminPorts() {
  }

  /** Remembers that the node on {@code httpPort} has its admin listener on {@code adminPort}. */
  static void register(int httpPort, int adminPort) {
    BY_HTTP_PORT.put(httpPort, adminPort);
  }

  /** @return the admin port of the node whose HTTP port is {@code httpPort}; fails for a node never launched */
  static int of(int httpPort) {
    Integer admin = BY_HTTP_PORT.get(httpPort);
    if (admin == null) {
      throw new IllegalStateException("no node process with HTTP port " + httpPort + " was launched");
    }
    return admin;
  }
}
