package dev.presence.load.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for the servers of a run, always below the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}): a port inside it can be taken, between our check and
 * the server's bind, by one of the tens of thousands of client connections the generators open.
 * Thread-safe.
 */
public final class Ports {

  private static final int LOWEST = 20_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {
  }

  /** @return a port that was free a moment ago and that this run has not handed out before */
  public static synchronized int next() {
    int ceiling = ephemeralLow() - 1;
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, ceiling);
      if (!HANDED_OUT.contains(port) && isFree(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + LOWEST + ".." + ceiling + " after 1000 attempts");
  }

  /** @return the first port of the ephemeral range (32768 if unreadable) */
  static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Math.max(LOWEST + 1000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
