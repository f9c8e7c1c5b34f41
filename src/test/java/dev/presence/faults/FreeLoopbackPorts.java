package dev.presence.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free right now on one loopback address (127.0.0.1, or an alias such as 127.0.0.2). */
final class FreeLoopbackPorts {

  private FreeLoopbackPorts() {
  }

  /** @return a port the kernel just handed out on {@code host} */
  static int next(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
