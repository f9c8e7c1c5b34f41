package dev.presence.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts one node's open WebSocket connections per client IP, across all of its event loops, and refuses
 * one over the limit. Only numbers are shared between threads, never a connection.
 *
 * <p>Threading: thread-safe (atomic per IP through {@link ConcurrentHashMap#compute}); called from the
 * event loops that accept and close connections.
 */
public final class ConnectionsPerIp {

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /** @param max most concurrent connections one IP may hold on this node, at least 1 */
  public ConnectionsPerIp(int max) {
    this.max = max;
  }

  /**
   * Counts a new connection from {@code ip} if it stays within the limit.
   *
   * @param ip the client's address as text
   * @return true if counted (call {@link #release} exactly once when it closes), false if over the limit
   */
  public boolean tryAcquire(String ip) {
    boolean[] acquired = new boolean[1];
    open.compute(ip, (key, count) -> {
      int current = count == null ? 0 : count;
      acquired[0] = current < max;
      return acquired[0] ? current + 1 : (current == 0 ? null : current);
    });
    return acquired[0];
  }

  /** @param ip an address whose connection, counted by {@link #tryAcquire}, has closed */
  public void release(String ip) {
    // Removing the key at zero keeps the map as small as the set of IPs connected now.
    open.computeIfPresent(ip, (key, count) -> count <= 1 ? null : count - 1);
  }

  /**
   * @param ip an address
   * @return its connections open now
   */
  public int openFrom(String ip) {
    return open.getOrDefault(ip, 0);
  }
}
