package dev.presence.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks TCP ports that are free on a loopback address now; tests never assume 8080 or 5701 are free.
 *
 * <p>Why not {@code new ServerSocket(0)}: the kernel hands those out from its ephemeral range, the same
 * range outgoing connections (Hazelcast members, clients) draw their local ports from, so a port picked
 * now could be taken by some connection before the node that was given it binds it (seen: "Address
 * already in use" seconds later). Ports here come from below the ephemeral range, walked from a random
 * start, each handed out once per JVM and checked with a real bind. Thread-safe.
 */
public final class FreePorts {

  private static final int LOWEST = 20_000;
  private static final int BELOW = ephemeralRangeStart();
  private static final AtomicInteger CURSOR =
      new AtomicInteger(LOWEST + ThreadLocalRandom.current().nextInt(BELOW - LOWEST));

  private FreePorts() {
  }

  /** @return a port free on 127.0.0.1 */
  public static int next() {
    return next("127.0.0.1");
  }

  /**
   * @param host a loopback address (127.0.0.1, or an alias such as 127.0.0.2)
   * @return a port free on {@code host}, below the kernel's ephemeral range
   */
  public static int next(String host) {
    for (int attempt = 0; attempt < BELOW - LOWEST; attempt++) {
      int port = LOWEST + Math.floorMod(CURSOR.getAndIncrement() - LOWEST, BELOW - LOWEST);
      if (bindable(host, port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on " + host + " in " + LOWEST + ".." + BELOW);
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first ephemeral port (Linux: /proc/sys/net/ipv4/ip_local_port_range); 32768 if unknown. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > LOWEST + 1_000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
