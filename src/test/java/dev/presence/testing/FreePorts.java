package dev.presence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks TCP ports that are free on 127.0.0.1 right now; tests never assume 8080 or 5701 are free. */
public final class FreePorts {

  private FreePorts() {
  }

  /** @return a port the kernel just handed out on 127.0.0.1 */
  public static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
