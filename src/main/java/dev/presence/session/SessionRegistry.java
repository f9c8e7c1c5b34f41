package dev.presence.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions owned by one verticle instance, by session id.
 *
 * <p>Confined to that instance's event loop: no lock, no concurrent map, and it is never shared with
 * another thread. This is deliberate: a connection list mutated from several threads is what crashes
 * servers when many connections close at once. Cross-thread requests (evictions from the event bus) are
 * delivered on this loop by Vert.x before they touch the registry.
 *
 * @param <C> the connection type
 */
public final class SessionRegistry<C> {

  private final Map<String, C> sessions = new HashMap<>();
  private final AtomicInteger nodeGauge;

  /**
   * @param nodeGauge the node-wide session count, shared by every registry of the node (only the number
   *                  crosses threads, never the connections)
   */
  public SessionRegistry(AtomicInteger nodeGauge) {
    this.nodeGauge = nodeGauge;
  }

  /**
   * Registers a connection under its session id, unless another connection holds that id (compare-and-set: a
   * registration never overwrites, so no connection is ever orphaned, unreachable by pings, renewal and kicks).
   * Event loop only.
   *
   * @param session    id
   * @param connection its connection
   * @return true if registered; false if the id belongs to another connection (nothing changed)
   */
  public boolean register(String session, C connection) {
    if (sessions.putIfAbsent(session, connection) == null) {
      nodeGauge.incrementAndGet();
      return true;
    }
    return sessions.get(session) == connection;
  }

  /**
   * Removes a connection, only if it is the one registered under that id; a second removal is a no-op. Event loop
   * only.
   *
   * @param session    id
   * @param connection the connection that leaves
   * @return true if it was registered and is now removed
   */
  public boolean remove(String session, C connection) {
    if (session != null && sessions.remove(session, connection)) {
      nodeGauge.decrementAndGet();
      return true;
    }
    return false;
  }

  /**
   * @param session id
   * @return the connection, or {@code null}
   */
  public C get(String session) {
    return sessions.get(session);
  }

  /** @return a copy of the connections, safe to iterate while connections close and remove themselves */
  public List<C> snapshot() {
    return new ArrayList<>(sessions.values());
  }

  /** @return how many sessions this registry holds */
  public int size() {
    return sessions.size();
  }
}
