package dev.presence.presence;

import dev.presence.session.LeaveReason;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.List;

/**
 * Removes sessions whose owner can no longer speak for them: entries whose heartbeat is overdue (owner
 * dead or paused) and entries of a member that left the cluster. Any node may run it; every removal is
 * compare-and-delete on the version it judged stale (the Ampache fix: a session created or renewed
 * between the sweep's read and its delete is never removed), so concurrent sweeps on several nodes
 * produce one {@code leave} per session.
 *
 * <p>Threading: call from one Vert.x context; futures complete there.
 */
public final class StaleSessionSweeper {

  private final PresenceStore presence;
  private final SessionEnd ends;
  private final InstantSource clock;
  private final long staleAfterMs;
  private final String node;

  /**
   * @param presence     the presence map's port (where stale entries are found)
   * @param ends         the one end path (removal, leave, slot, last seen, nickname fate)
   * @param clock        wall clock
   * @param staleAfterMs an entry whose last renewal is older than this is stale (ms)
   * @param node         this node's id: its own connected sessions are never swept here (it holds their
   *                     connections; its renewal and heartbeat checks judge them)
   */
  public StaleSessionSweeper(PresenceStore presence, SessionEnd ends, InstantSource clock, long staleAfterMs,
      String node) {
    this.presence = presence;
    this.ends = ends;
    this.clock = clock;
    this.staleAfterMs = staleAfterMs;
    this.node = node;
  }

  /**
   * Step one of a sweep: reads the entries that look stale now.
   *
   * @return candidates, each with the version that was judged stale
   */
  public Future<List<PresenceEntry>> findStale() {
    long now = clock.millis();
    // A session held for resume is not renewed by anyone, on purpose: it is not stale until its hold is over. A
    // connected session of this node is alive as long as this node holds its connection: right after a healed split
    // its entry may carry the other side's old renewal time until the re-check renews it, and sweeping it then
    // would publish a false leave (and a join when it is re-asserted).
    return presence.findStale(now - staleAfterMs).map(entries -> entries.stream()
        .filter(e -> !e.heldAt(now) && (e.isHeld() || !e.node().equals(node))).toList());
  }

  /**
   * Step two: ends each candidate through the one end path ({@link SessionEnd#evict}): removed only if unchanged
   * since it was read, then its leave, slot, last seen and nickname's fate, and its owner (if alive after all,
   * e.g. woken from a pause) is asked to close the connection.
   *
   * @param candidates entries read by {@link #findStale()} or {@link #findOfMember}
   * @param reason     {@link LeaveReason#EXPIRED} or {@link LeaveReason#NODE_LOST}
   * @return the entries this call removed
   */
  public Future<List<PresenceEntry>> evict(List<PresenceEntry> candidates, LeaveReason reason) {
    return ends.evict(candidates, reason);
  }

  /** @return one full sweep: {@link #findStale()} then {@link #evict} with {@link LeaveReason#EXPIRED} */
  public Future<List<PresenceEntry>> sweep() {
    return findStale().compose(candidates -> evict(candidates, LeaveReason.EXPIRED));
  }

  /**
   * Reads the entries of a member that left the cluster.
   *
   * @param node the removed member's id
   * @return its entries
   */
  public Future<List<PresenceEntry>> findOfMember(String node) {
    long now = clock.millis();
    // A held session has no connection on its last node: losing that node ends nothing; the hold runs its course
    // (or the client resumes elsewhere), and the sweep ends it after.
    return presence.findByNode(node).map(entries -> entries.stream().filter(e -> !e.heldAt(now)).toList());
  }

  /**
   * Evicts every session of a member that left: {@link #findOfMember} then {@link #evict} with
   * {@link LeaveReason#NODE_LOST}.
   *
   * @param node the removed member's id
   * @return the entries this call removed
   */
  public Future<List<PresenceEntry>> evictMember(String node) {
    return findOfMember(node).compose(entries -> evict(entries, LeaveReason.NODE_LOST));
  }
}
