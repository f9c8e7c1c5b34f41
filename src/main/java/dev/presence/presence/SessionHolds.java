package dev.presence.presence;

import dev.presence.session.LeaveReason;
import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NicknameLeaseStore;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resume holds (docs/protocol.md §11.4, docs/consistency.md): a resumable session that lost its connection is held as
 * suspect for the grace period, then either taken back by its client on any node or ended with the leave it held
 * back. Stateless; the node's {@link PresenceService} owns one ({@link PresenceService#holds()}).
 *
 * <p>Threading: call from a Vert.x event loop; returned futures complete on that loop (the stores guarantee it).
 */
public final class SessionHolds {

  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final SessionSlotStore slots;
  private final LastSeenStore lastSeen;
  private final int maxSessionsPerUser;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final String node;
  private final long leaseTtlMs;
  private final long lastSeenTtlMs;

  SessionHolds(PresenceStores stores, int maxSessionsPerUser, PresenceChannel channel, InstantSource clock,
      String node, long leaseTtlMs, long lastSeenTtlMs) {
    this.presence = stores.presence();
    this.nicknames = stores.nicknames();
    this.slots = stores.slots();
    this.lastSeen = stores.lastSeen();
    this.maxSessionsPerUser = maxSessionsPerUser;
    this.channel = channel;
    this.clock = clock;
    this.node = node;
    this.leaseTtlMs = leaseTtlMs;
    this.lastSeenTtlMs = lastSeenTtlMs;
  }

  /**
   * Holds a resumable session as suspect after an abnormal disconnect, instead of ending it: its entry stays
   * (marked suspect) until {@code now + holdMs}, its nickname enters the grace period as for any abnormal end, its
   * session slot is kept for the hold, and a {@code suspect} event is published instead of a {@code leave}. The
   * caller ends the hold with {@link #endHold} unless the client resumes first; if the caller's node dies, the
   * sweep ends it once the hold is over.
   *
   * @param session the session
   * @param nickKey its normalized nickname or {@code null}
   * @param reason  how the connection ended
   * @param holdMs  the hold (ms): the nickname grace period
   * @return the hold's end (epoch ms), or empty if the session had no entry (already ended by another path)
   */
  public Future<OptionalLong> suspend(String session, String nickKey, LeaveReason reason, long holdMs) {
    long now = clock.millis();
    long until = now + holdMs;
    Future<?> nick = nickKey == null ? Future.succeededFuture()
        : nicknames.enterGrace(nickKey, session, now, holdMs);
    Future<OptionalLong> held = presence.suspend(session, until, holdMs + leaseTtlMs).compose(entry -> {
      if (entry.isEmpty()) {
        return Future.succeededFuture(OptionalLong.empty());
      }
      channel.publish(PresenceEvent.suspect(entry.get(), reason, now));
      return slots.admit(entry.get().user(), session, node, maxSessionsPerUser, now, holdMs + leaseTtlMs)
          .map(kept -> OptionalLong.of(until));
    });
    return Future.all(held, nick).map(done -> held.result());
  }

  /**
   * Ends a hold that no resume cancelled: removes the entry if it is still held with this end, and publishes the
   * {@code leave} (with the disconnect's reason) that {@link #suspend} held back.
   *
   * @param session the session
   * @param until   the hold's end, as returned by {@link #suspend}
   * @param reason  how the connection had ended, or {@link LeaveReason#KICKED} when a kick ends the hold early (the
   *                nickname is then freed at once)
   * @return completes when done; nothing happens if the session was resumed
   */
  public Future<Void> endHold(String session, long until, LeaveReason reason) {
    long now = clock.millis();
    return presence.removeIfSuspect(session, until).compose(removed -> {
      if (removed.isEmpty()) {
        return Future.succeededFuture();
      }
      PresenceEntry e = removed.get();
      channel.publish(PresenceEvent.leave(e, reason, now));
      // The nickname went into grace when the hold began; only an end decided for the user (a kick) frees it now.
      Future<?> nick = e.nickKey() != null && reason.releasesNickAtOnce()
          ? nicknames.release(e.nickKey(), session, now) : Future.succeededFuture();
      return Future.all(slots.release(e.user(), session, now), lastSeen.record(e.user(), now, lastSeenTtlMs), nick)
          .mapEmpty();
    });
  }

  /**
   * Resumes a held session on this node: the same session id, entry owned by this node, its nickname claimed
   * back (the grace period reserves it for the user), its session slot moved here, and a {@code resumed} event
   * instead of a leave and a join.
   *
   * @param session the held session
   * @param user    the authenticated user (must be the session's)
   * @return the resumed entry (its nickname {@code null} if it could not be claimed back), or empty if the session
   *     is not held (never was, hold over, or already resumed)
   */
  public Future<Optional<PresenceEntry>> resume(String session, String user) {
    long now = clock.millis();
    return presence.resume(session, user, node, now, leaseTtlMs).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(found);
      }
      PresenceEntry entry = found.get();
      Future<PresenceEntry> withNick = entry.nickKey() == null ? Future.succeededFuture(entry)
          : nicknames.claim(entry.nickKey(), entry.nick(), new NickHolder(session, user, node), now, leaseTtlMs)
              .compose(outcome -> outcome instanceof ClaimOutcome.Granted
                  ? Future.succeededFuture(entry)
                  : presence.setNick(session, null, null).map(v -> entry.withNick(null, null)));
      return withNick.compose(resumed -> slots.admit(user, session, node, maxSessionsPerUser, now, leaseTtlMs)
          .map(admitted -> {
            channel.publish(PresenceEvent.resumed(resumed, now));
            return Optional.of(resumed);
          }));
    });
  }
}
