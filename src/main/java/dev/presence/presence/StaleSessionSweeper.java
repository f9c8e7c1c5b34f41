package dev.presence.presence;

import dev.presence.session.LeaveReason;
import dev.presence.nickname.NicknameLeaseStore;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.ArrayList;
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
  private final NicknameLeaseStore nicknames;
  private final SessionSlotStore slots;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final long staleAfterMs;
  private final long nickGraceMs;
  private final PresenceMetrics metrics;
  private final LastSeenStore lastSeen;
  private final long lastSeenTtlMs;

  /**
   * @param stores       the cluster maps' ports (a removed session's slot is released, its user's last seen set)
   * @param channel      broadcast port
   * @param clock        wall clock
   * @param staleAfterMs an entry whose last heartbeat is older than this is stale (ms)
   * @param nickGraceMs  grace period given to the nicknames of removed sessions (ms)
   * @param lastSeenTtlMs how long a user's last-seen time is kept (ms)
   * @param metrics      where removals are counted
   */
  public StaleSessionSweeper(PresenceStores stores, PresenceChannel channel, InstantSource clock, long staleAfterMs,
      long nickGraceMs, long lastSeenTtlMs, PresenceMetrics metrics) {
    this.presence = stores.presence();
    this.nicknames = stores.nicknames();
    this.slots = stores.slots();
    this.lastSeen = stores.lastSeen();
    this.lastSeenTtlMs = lastSeenTtlMs;
    this.channel = channel;
    this.clock = clock;
    this.staleAfterMs = staleAfterMs;
    this.nickGraceMs = nickGraceMs;
    this.metrics = metrics;
  }

  /**
   * Step one of a sweep: reads the entries that look stale now.
   *
   * @return candidates, each with the version that was judged stale
   */
  public Future<List<PresenceEntry>> findStale() {
    long now = clock.millis();
    // A session held as suspect is not renewed by anyone, on purpose: it is not stale until its hold is over.
    return presence.findStale(now - staleAfterMs)
        .map(entries -> entries.stream().filter(e -> !e.heldAt(now)).toList());
  }

  /**
   * Step two: removes each candidate if it is unchanged since it was read, then publishes its leave,
   * asks its owner (if alive after all, e.g. woken from a pause) to close it, releases its user's session
   * slot (so a dead node's users may reconnect at once, not a lease TTL later) and puts its nickname into
   * grace.
   *
   * @param candidates entries read by {@link #findStale()} or {@link #findOfMember}
   * @param reason     {@link LeaveReason#EXPIRED} or {@link LeaveReason#NODE_LOST}
   * @return the entries this call removed
   */
  public Future<List<PresenceEntry>> evict(List<PresenceEntry> candidates, LeaveReason reason) {
    List<Future<Boolean>> removals = new ArrayList<>(candidates.size());
    for (PresenceEntry candidate : candidates) {
      removals.add(presence.removeIfUnchanged(candidate.session(), candidate.version()));
    }
    return Future.join(removals).transform(ignored -> {
      long now = clock.millis();
      List<PresenceEntry> removed = new ArrayList<>();
      List<Future<?>> followUps = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (removals.get(i).succeeded() && Boolean.TRUE.equals(removals.get(i).result())) {
          PresenceEntry e = candidates.get(i);
          removed.add(e);
          metrics.sessionEnded(reason, now - e.lastHeartbeat());
          channel.publish(PresenceEvent.leave(e, reason, now));
          channel.requestEviction(e.session(), reason);
          followUps.add(slots.release(e.user(), e.session(), now));
          followUps.add(lastSeen.record(e.user(), now, lastSeenTtlMs));
          if (e.nickKey() != null) {
            followUps.add(nicknames.enterGrace(e.nickKey(), e.session(), now, nickGraceMs));
          }
        }
      }
      return Future.join(followUps).map(done -> removed);
    });
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
