package dev.presence.session;

import dev.presence.address.ClientAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts one node's open WebSocket connections per client address, across all of its event loops, and refuses
 * one over the limit. A client is counted under {@link ClientAddress#limitKey()} (an IPv4 address, an IPv6 /64), so
 * an IPv6 client cannot escape the limit by rotating addresses within its network. Only numbers are shared between
 * threads, never a connection.
 *
 * <p>Threading: thread-safe (atomic per key through {@link ConcurrentHashMap#compute}); called from the
 * event loops that accept and close connections.
 */
public final class ConnectionsPerIp {

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /** @param max most concurrent connections one client address (limit key) may hold on this node, at least 1 */
  public ConnectionsPerIp(int max) {
    this.max = max;
  }

  /**
   * Counts a new connection from {@code client} if its limit key stays within the limit.
   *
   * @param client the client's resolved address
   * @return true if counted (call {@link #release} exactly once when it closes), false if over the limit
   */
  public boolean tryAcquire(ClientAddress client) {
    boolean[] acquired = new boolean[1];
    open.compute(client.limitKey(), (key, count) -> {
      int current = count == null ? 0 : count;
      acquired[0] = current < max;
      return acquired[0] ? current + 1 : (current == 0 ? null : current);
    });
    return acquired[0];
  }

  /** @param client an address whose connection, counted by {@link #tryAcquire}, has closed */
  public void release(ClientAddress client) {
    // Removing the key at zero keeps the map as small as the set of clients connected now.
    open.computeIfPresent(client.limitKey(), (key, count) -> count <= 1 ? null : count - 1);
  }

  /**
   * @param client an address
   * @return connections open now under its limit key (for an IPv6 address: from its whole /64)
   */
  public int openFrom(ClientAddress client) {
    return open.getOrDefault(client.limitKey(), 0);
  }
}
