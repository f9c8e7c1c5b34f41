package dev.presence.presence;

import dev.presence.nickname.NickLeasePolicy;
import dev.presence.session.LeaveReason;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which a session ends cluster-wide, whoever ends it: its own node (bye, close frame, reset,
 * heartbeat timeout, token expiry, kick, takeover, drain, protocol or server error), the end of a resume hold,
 * or another node (stale sweep, member loss). Each path differs only in how the presence entry is removed
 * (unconditionally, while still held with the same end, or while unchanged since a sweep read it); everything
 * after the removal is {@link #finish}, run only by the call that removed the entry, so every session has
 * exactly one {@code leave}, one slot release, one last-seen record, one decision of its nickname's fate and one
 * {@code room.leave} per room it was in
 * ({@link NickLeasePolicy#fateOnEnd}) however many paths race.
 *
 * <p>Threading: call from a Vert.x context; returned futures complete there (the stores guarantee it).
 * Stateless.
 */
public final class SessionEnd {

  private static final Logger LOG = LoggerFactory.getLogger(SessionEnd.class);
  private final PresenceStore presence;
  private final NickFates fates;
  private final SessionSlotStore slots;
  private final LastSeenStore lastSeen;
  private final RoomMemberships rooms;
  private final PresenceChannel channel;
  private final PresenceMetrics metrics;
  private final InstantSource clock;
  private final long lastSeenTtlMs;

  /**
   * @param stores        the cluster maps' ports
   * @param channel       where the leave is published
   * @param metrics       where ends are counted (once per session)
   * @param clock         wall clock (epoch ms)
   * @param fates         performs the nicknames' fate (global and room nicknames)
   * @param lastSeenTtlMs how long a user's last-seen time is kept after its last session ended (ms)
   * @param rooms         the room side of an end (a {@code room.leave} and the place given back per room)
   */
  public SessionEnd(PresenceStores stores, PresenceChannel channel, PresenceMetrics metrics, InstantSource clock,
      NickFates fates, long lastSeenTtlMs, RoomMemberships rooms) {
    this.presence = stores.presence();
    this.rooms = rooms;
    this.fates = fates;
    this.slots = stores.slots();
    this.lastSeen = stores.lastSeen();
    this.channel = channel;
    this.metrics = metrics;
    this.clock = clock;
    this.lastSeenTtlMs = lastSeenTtlMs;
  }

  /**
   * Ends a session whose connection this node owns and has closed.
   *
   * @param session       the session
   * @param reason        why it ended
   * @param lastHeardAtMs epoch ms of the last frame from its client (the ghost window starts there)
   * @return the entry this call removed, or empty if another path had ended the session already
   */
  public Future<Optional<PresenceEntry>> end(String session, LeaveReason reason, long lastHeardAtMs) {
    return presence.remove(session).compose(removed -> finish(removed, reason, false,
        clock.millis() - lastHeardAtMs));
  }

  /**
   * Ends a resume hold nobody took back: the hold's timer ran out, or a kick ends it early.
   *
   * @param session the held session
   * @param until   the hold's end as set when it began (compare-and-delete: a resumed session, or one held
   *                again since, is not removed)
   * @param reason  how its connection had ended, or {@link LeaveReason#KICKED}
   * @return the entry this call removed, or empty if the session was resumed or already ended
   */
  public Future<Optional<PresenceEntry>> endHold(String session, long until, LeaveReason reason) {
    return presence.removeIfHeld(session, until).compose(removed -> finish(removed, reason, true, -1));
  }

  /**
   * Ends sessions another node can no longer speak for (stale sweep, member loss): each is removed only if
   * unchanged since it was read (the Ampache fix: a session renewed meanwhile is never removed), and its owner,
   * if alive after all, is asked to close the connection.
   *
   * @param candidates entries read as stale or as owned by a lost member
   * @param reason     {@link LeaveReason#EXPIRED} or {@link LeaveReason#NODE_LOST}
   * @return the entries this call removed
   */
  public Future<List<PresenceEntry>> evict(List<PresenceEntry> candidates, LeaveReason reason) {
    List<Future<Optional<PresenceEntry>>> ends = new ArrayList<>(candidates.size());
    for (PresenceEntry candidate : candidates) {
      ends.add(presence.removeIfUnchanged(candidate.session(), candidate.version())
          .map(removed -> removed ? Optional.of(candidate) : Optional.<PresenceEntry>empty())
          .compose(removed -> finish(removed, reason, candidate.isHeld(),
              clock.millis() - candidate.lastRenewedAt()))
          .onSuccess(removed -> removed.ifPresent(e -> channel.requestEviction(e.session(), reason))));
    }
    return Future.join(ends).transform(ignored -> {
      List<PresenceEntry> removed = new ArrayList<>();
      for (Future<Optional<PresenceEntry>> end : ends) {
        if (end.succeeded()) {
          end.result().ifPresent(removed::add);
        }
      }
      return Future.succeededFuture(removed);
    });
  }

  /**
   * Everything a session's end does after its entry was removed, by the one call that removed it: the
   * {@code leave}, the count, the user's session slot, its last-seen time, its nicknames' fate, and its rooms (a
   * {@code room.leave} with the same reason and the place given back, per room).
   *
   * @param ghostMs time from the last sign of life to this end (ms), or negative when none applies (a hold)
   */
  private Future<Optional<PresenceEntry>> finish(Optional<PresenceEntry> removed, LeaveReason reason,
      boolean wasHeld, long ghostMs) {
    if (removed.isEmpty()) {
      return Future.succeededFuture(removed);
    }
    PresenceEntry e = removed.get();
    long now = clock.millis();
    channel.publish(PresenceEvent.leave(e, reason, now));
    metrics.sessionEnded(reason, ghostMs);
    // One decision for every nickname the session holds: its global one and its room nicknames.
    Future<?> nick = fates.applyToAll(e, NickLeasePolicy.fateOnEnd(reason, wasHeld), now);
    return Future.join(slots.release(e.user(), e.session(), now), lastSeen.record(e.user(), now, lastSeenTtlMs),
        nick, rooms.ended(e, reason.wireName())).map(removed);
  }

}
