package dev.presence.presence;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLeasePolicy;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomNicknames;
import dev.presence.session.LeaveReason;
import dev.presence.session.ResumeTokens;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resume holds (docs/protocol.md §11.4, docs/consistency.md): a resumable session that lost its connection is held
 * for the grace period, then either taken back by its client on any node ({@link #resume}) or ended, through the one
 * end path ({@link SessionEnd#endHold}), with the leave it held back. Stateless; the node's {@link PresenceService}
 * owns one ({@link PresenceService#holds()}).
 *
 * <p>Threading: call from a Vert.x event loop; returned futures complete on that loop (the stores guarantee it).
 */
public final class SessionHolds {

  private static final Logger LOG = LoggerFactory.getLogger(SessionHolds.class);

  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final SessionSlotStore slots;
  private final SessionEnd ends;
  private final NickFates fates;
  private final int maxSessionsPerUser;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final String node;
  private final long leaseTtlMs;

  SessionHolds(PresenceStores stores, SessionEnd ends, NickFates fates, int maxSessionsPerUser,
      PresenceChannel channel, InstantSource clock, String node, long leaseTtlMs) {
    this.presence = stores.presence();
    this.nicknames = stores.nicknames();
    this.slots = stores.slots();
    this.ends = ends;
    this.fates = fates;
    this.maxSessionsPerUser = maxSessionsPerUser;
    this.channel = channel;
    this.clock = clock;
    this.node = node;
    this.leaseTtlMs = leaseTtlMs;
  }

  /**
   * Holds a resumable session after an abnormal disconnect, instead of ending it: its entry stays (marked held)
   * until {@code now + holdMs}, its nickname's fate is the policy's for a hold ({@link NickLeasePolicy#fateOnHold}:
   * the grace period), its session slot is kept for the hold, and a {@code suspect} event (the wire name of a
   * hold) is published instead of a {@code leave}. A timer on the calling context ends the hold through
   * {@link SessionEnd#endHold} unless the client resumes first (on any node); if this node dies meanwhile, the
   * sweep of another ends it once the hold is over.
   *
   * @param session the session
   * @param reason  how the connection ended (the reason of the leave, if nobody resumes)
   * @param holdMs  the hold (ms): the nickname grace period
   * @return the hold's end (epoch ms), or empty if the session had no entry (already ended by another path)
   */
  public Future<OptionalLong> hold(String session, LeaveReason reason, long holdMs) {
    long now = clock.millis();
    long until = now + holdMs;
    return presence.hold(session, until, holdMs + leaseTtlMs).compose(held -> {
      if (held.isEmpty()) {
        return Future.succeededFuture(OptionalLong.empty());
      }
      PresenceEntry entry = held.get();
      channel.publish(PresenceEvent.suspect(entry, reason, now));
      scheduleEnd(session, until, reason);
      return Future.all(fates.applyToAll(entry, NickLeasePolicy.fateOnHold(reason), now),
              slots.acquire(entry.user(), session, node, maxSessionsPerUser, now, holdMs + leaseTtlMs))
          .map(done -> OptionalLong.of(until));
    });
  }

  /**
   * Claims back each room nickname the resumed session held (the hold put them in grace for its user, as its global
   * one); one that another user took meanwhile is cleared from its membership.
   */
  private Future<PresenceEntry> withRoomNicks(PresenceEntry entry, long now) {
    List<Future<PresenceEntry>> claims = new ArrayList<>();
    for (Map.Entry<String, RoomMembership> room : entry.rooms().entrySet()) {
      RoomMembership m = room.getValue();
      if (m.nickKey() == null) {
        continue;
      }
      String key = RoomNicknames.leaseKey(room.getKey(), m.nickKey());
      claims.add(nicknames.acquire(key, m.nick(), new NickHolder(entry.session(), entry.user(), node), now,
          leaseTtlMs).compose(outcome -> outcome instanceof ClaimOutcome.Granted ? Future.succeededFuture(null)
              : presence.setRoomNick(entry.session(), room.getKey(), null, null, m.nickKey())
                  .map(cleared -> entry)));
    }
    if (claims.isEmpty()) {
      return Future.succeededFuture(entry);
    }
    return Future.all(claims).compose(done -> claims.stream().anyMatch(c -> c.result() != null)
        ? presence.get(entry.session()).map(read -> read.orElse(entry)) : Future.succeededFuture(entry));
  }

  /** The hold's timer, on the calling context: a resume before it fires makes its compare-and-delete a no-op. */
  private void scheduleEnd(String session, long until, LeaveReason reason) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return; // not on a Vert.x context (only unit tests): the sweep ends the hold once it is over
    }
    context.owner().setTimer(Math.max(1, until - clock.millis()), id -> ends.endHold(session, until, reason)
        .onFailure(t -> LOG.warn("session {} hold end failed (the sweep will end it): {}", session, t.toString())));
  }

  /**
   * Ends a hold early because it was kicked: the same end as the hold's timer, with reason {@code kicked} (the
   * nickname is freed at once).
   *
   * @param session the held session
   * @param until   the hold's end as stored in its entry
   * @return the entry removed, or empty if it was resumed or already ended
   */
  public Future<Optional<PresenceEntry>> kick(String session, long until) {
    return ends.endHold(session, until, LeaveReason.KICKED);
  }

  /**
   * Resumes a held session on this node if {@link ResumePolicy} lets the token's claim do so: the same session id,
   * entry owned by this node with the next resume generation (the claim's token resumes nothing any more), its
   * nickname claimed back (the grace period reserves it for the user), its session slot moved here, and a
   * {@code resumed} event instead of a leave and a join. An expired token, or one of another user, is refused here
   * without a cluster call; the rest is decided atomically in the presence store.
   *
   * @param claim what the client's resume token names (its MAC already checked)
   * @param user  the authenticated user of the resuming connection
   * @return resumed with the entry (its nickname {@code null} if it could not be claimed back), or refused with the
   *     reason; failed with {@code ClusterStoreException} if a store failed
   */
  public Future<ResumeOutcome> resume(ResumeTokens.Claim claim, String user) {
    long now = clock.millis();
    Optional<ResumeOutcome.Reason> early = ResumePolicy.admit(claim, user, now);
    if (early.isPresent()) {
      return Future.succeededFuture(new ResumeOutcome.Refused(early.get()));
    }
    String session = claim.session();
    return presence.resume(claim, node, now, leaseTtlMs).compose(decided -> {
      if (!(decided instanceof ResumeOutcome.Resumed taken)) {
        return Future.succeededFuture(decided);
      }
      PresenceEntry entry = taken.entry();
      Future<PresenceEntry> withNick = entry.nickKey() == null ? Future.succeededFuture(entry)
          : nicknames.acquire(entry.nickKey(), entry.nick(), new NickHolder(session, user, node), now, leaseTtlMs)
              .compose(outcome -> outcome instanceof ClaimOutcome.Granted
                  ? Future.succeededFuture(entry)
                  : presence.setNick(session, null, null).map(v -> entry.withNick(null, null)));
      return withNick.compose(held -> withRoomNicks(held, now))
          .compose(resumed -> slots.acquire(user, session, node, maxSessionsPerUser, now, leaseTtlMs)
          .map(admitted -> {
            channel.publish(PresenceEvent.resumed(resumed, now));
            return new ResumeOutcome.Resumed(resumed);
          }));
    });
  }
}
