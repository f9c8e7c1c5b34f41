package dev.presence.presence;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.nickname.NicknameRules;
import dev.presence.session.LeaveReason;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Session-level presence operations of one node: join, nickname claim and release, leave, who. Stateless
 * (the caller owns session state), so one instance serves every event loop of the node.
 *
 * <p>Threading: call from a Vert.x event loop; returned futures complete on that loop (the stores
 * guarantee it). Never blocks.
 */
public final class PresenceService {

  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final SessionSlotStore slots;
  private final int maxSessionsPerUser;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final String node;
  private final long leaseTtlMs;
  private final LastSeenStore lastSeen;
  private final RoomMemberships rooms;
  private final SessionEnd ends;
  private final SessionHolds holds;
  private final SessionRestore restores;

  /**
   * @param stores      the cluster maps' ports
   * @param maxSessionsPerUser most sessions one user may hold across the cluster
   * @param channel     cluster broadcast port
   * @param clock       wall clock (epoch ms)
   * @param node        this node's id (a node id; not Hazelcast's member UUID)
   * @param leaseTtlMs  TTL of presence entries and held nickname leases (ms)
   * @param nickGraceMs grace period after an abnormal disconnect (ms)
   * @param maxGraceLeasesPerUser nicknames one user may hold in grace at once (older ones are freed)
   * @param lastSeenTtlMs how long a user's last-seen time is kept after its last session ended (ms)
   * @param metrics     where session ends are counted
   * @param maxRoomMembers     most sessions one room may hold ({@code PRESENCE_ROOM_MAX_MEMBERS})
   * @param maxRoomsPerSession most rooms one session may be in ({@code PRESENCE_MAX_ROOMS_PER_SESSION})
   */
  public PresenceService(PresenceStores stores, int maxSessionsPerUser, PresenceChannel channel, InstantSource clock,
      String node, long leaseTtlMs, long nickGraceMs, int maxGraceLeasesPerUser, long lastSeenTtlMs,
      PresenceMetrics metrics, int maxRoomMembers, int maxRoomsPerSession) {
    this.presence = stores.presence();
    this.nicknames = stores.nicknames();
    this.slots = stores.slots();
    this.lastSeen = stores.lastSeen();
    NickFates fates = new NickFates(stores.nicknames(), nickGraceMs, maxGraceLeasesPerUser);
    this.rooms = new RoomMemberships(stores, channel, metrics, clock, node, maxRoomMembers, maxRoomsPerSession,
        new RoomNickLeases(stores, fates, channel, clock, node, leaseTtlMs));
    this.ends = new SessionEnd(stores, channel, metrics, clock, fates, lastSeenTtlMs, rooms);
    this.holds = new SessionHolds(stores, ends, fates, maxSessionsPerUser, channel, clock, node, leaseTtlMs);
    this.restores = new SessionRestore(stores, rooms, channel, clock, node, leaseTtlMs);
    this.maxSessionsPerUser = maxSessionsPerUser;
    this.channel = channel;
    this.clock = clock;
    this.node = node;
    this.leaseTtlMs = leaseTtlMs;
  }

  /** @return this node's id */
  public String node() {
    return node;
  }

  /**
   * Registers a new session cluster-wide and publishes its {@code join}, if its user is below the session
   * limit: takes a slot in the user's cluster-wide count first (atomic per user), then stores the presence
   * entry. If storing the entry fails, the slot is released again (best effort; else its lease expires).
   *
   * @param session new session id
   * @param user    its user
   * @return joined with the stored entry, or refused (nothing stored, nothing published); failed with
   *     {@code ClusterStoreException} if a store failed
   */
  public Future<JoinOutcome> join(String session, String user) {
    long now = clock.millis();
    return slots.acquire(user, session, node, maxSessionsPerUser, now, leaseTtlMs).compose(admission -> {
      if (admission instanceof SlotAdmission.Refused refused) {
        return Future.<JoinOutcome>succeededFuture(
            new JoinOutcome.Refused(user, refused.liveSessions(), maxSessionsPerUser));
      }
      PresenceEntry entry = PresenceEntry.joined(session, user, node, now);
      return presence.acquire(entry, leaseTtlMs).transform(stored -> {
        if (stored.failed()) {
          return slots.release(user, session, clock.millis())
              .transform(ignored -> Future.<JoinOutcome>failedFuture(stored.cause()));
        }
        channel.publish(PresenceEvent.join(entry, now));
        return Future.<JoinOutcome>succeededFuture(new JoinOutcome.Joined(entry));
      });
    });
  }

  /**
   * Renews, in one cluster call, the session slots this node holds for the given users (the caller's part
   * of the batched lease renewal).
   *
   * @param users users with an active session on the caller
   * @return completes when renewed
   */
  public Future<Void> renewSessionSlots(Set<String> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture();
    }
    return slots.renewAll(users, node, clock.millis(), leaseTtlMs);
  }

  /**
   * Claims a nickname for a session, replacing the nickname it held before (released at once). A claim
   * that displaces an older session of the same user asks that session's node to evict it (takeover).
   *
   * @param session    the claiming session
   * @param user       its user
   * @param raw        the nickname as sent by the client
   * @param currentKey the normalized nickname the session holds now, or {@code null}
   * @return claimed, or rejected with {@code nick_invalid} / {@code nick_taken}, or {@code nick_unavailable}
   *     when the nickname map did not answer within {@link #CLAIM_DEADLINE_MS}
   */
  public Future<NickChange> claimNick(String session, String user, String raw, String currentKey) {
    NicknameCheck check = NicknameRules.check(raw);
    if (check instanceof NicknameCheck.Invalid invalid) {
      return Future.succeededFuture(new NickChange.Rejected("nick_invalid", invalid.reason()));
    }
    NicknameCheck.Valid valid = (NicknameCheck.Valid) check;
    long now = clock.millis();
    NickHolder claimant = new NickHolder(session, user, node);
    Future<ClaimOutcome> attempt = nicknames.acquire(valid.key(), valid.display(), claimant, now, leaseTtlMs);
    return withinDeadline(attempt).compose(outcome -> {
      if (outcome instanceof ClaimOutcome.Taken) {
        return Future.succeededFuture(
            new NickChange.Rejected("nick_taken", "nickname is held or reserved by another user"));
      }
      ClaimOutcome.Granted granted = (ClaimOutcome.Granted) outcome;
      if (granted.displacedSession() != null && !granted.displacedSession().equals(session)) {
        channel.requestEviction(granted.displacedSession(), LeaveReason.TAKEOVER);
      }
      Future<Boolean> releasePrevious = currentKey != null && !currentKey.equals(valid.key())
          ? nicknames.release(currentKey, session, now)
          : Future.succeededFuture(false);
      Future<Boolean> shown = presence.setNick(session, valid.display(), valid.key());
      return Future.all(releasePrevious, shown).map(done -> {
        channel.publish(PresenceEvent.nick(session, user, valid.display(), node, now));
        return new NickChange.Claimed(valid.display(), valid.key(), granted.lease().fencingToken());
      });
    }, failure -> failure instanceof TimeoutException ? abandon(attempt, valid.key(), session)
        : Future.failedFuture(failure));
  }

  /**
   * {@code attempt}, or a {@link TimeoutException} after {@link #CLAIM_DEADLINE_MS}, completed on the caller's
   * context. Built by hand rather than with {@code Future.timeout}: the stores' futures are not bound to a
   * context, and {@code Future.timeout} then fires on Netty's global executor thread, off the event loop that
   * owns the session (ClaimDeadlineTest caught it).
   */
  private static Future<ClaimOutcome> withinDeadline(Future<ClaimOutcome> attempt) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return attempt; // not on an event loop (only tests call so): no timer to run the deadline on
    }
    Promise<ClaimOutcome> bounded = Promise.promise();
    long timer = context.owner().setTimer(CLAIM_DEADLINE_MS,
        id -> bounded.tryFail(new TimeoutException("no answer within " + CLAIM_DEADLINE_MS + " ms")));
    attempt.onComplete(outcome -> {
      context.owner().cancelTimer(timer);
      if (outcome.succeeded()) {
        bounded.tryComplete(outcome.result());
      } else {
        bounded.tryFail(outcome.cause());
      }
    });
    return bounded.future();
  }

  /**
   * Most a nickname claim waits for the nickname map before the client is told {@code nick_unavailable} (ms).
   * A claim normally answers in milliseconds; one that does not is stuck behind a cut-off partition owner
   * (early in a network partition, before the failure detector removes the other side, Hazelcast retries an
   * operation until its call timeout of a minute). The client should rather hear at once that nicknames
   * cannot change now, and retry.
   */
  public static final long CLAIM_DEADLINE_MS = 2_000;

  /**
   * Gives up waiting for a claim. If it is granted later after all, the lease is released at once, since
   * the session was told it did not get the nickname and will not renew it.
   */
  private Future<NickChange> abandon(Future<ClaimOutcome> attempt, String key, String session) {
    attempt.onSuccess(late -> {
      if (late instanceof ClaimOutcome.Granted) {
        nicknames.release(key, session, clock.millis());
      }
    });
    return Future.succeededFuture(new NickChange.Rejected("nick_unavailable",
        "the cluster did not answer within " + CLAIM_DEADLINE_MS + " ms; nicknames cannot be changed here now"));
  }

  /**
   * Sets a session's availability, meta and idle flag cluster-wide and publishes a {@code status} event.
   *
   * @param session the session
   * @param status  its new status
   * @return true if the session's entry exists (and was changed)
   */
  public Future<Boolean> setStatus(String session, SessionStatus status) {
    long now = clock.millis();
    return presence.setStatus(session, status).map(updated -> {
      updated.ifPresent(entry -> channel.publish(PresenceEvent.status(entry, now)));
      return updated.isPresent();
    });
  }

  /**
   * The user-level view of one user: its sessions, or when it has none, when it was last seen.
   *
   * @param user the user
   * @return the view (read from the presence map, then the last-seen map only if the user is offline)
   */
  public Future<UserPresence> user(String user) {
    return presence.findByUser(user).compose(sessions -> sessions.isEmpty()
        ? lastSeen.lastSeen(user).map(at -> new UserPresence(user, sessions, at))
        : Future.succeededFuture(new UserPresence(user, sessions, OptionalLong.empty())));
  }

  /** @return the resume-hold operations of this node (docs/protocol.md §11.4) */
  public SessionHolds holds() {
    return holds;
  }

  /**
   * Releases the session's nickname at once (client {@code release}).
   *
   * @param session the session
   * @param user    its user
   * @param key     the normalized nickname it holds; {@code null} does nothing
   * @return completes when released
   */
  public Future<Void> releaseNick(String session, String user, String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    return Future.all(nicknames.release(key, session, now), presence.setNick(session, null, null))
        .map(done -> {
          channel.publish(PresenceEvent.nick(session, user, null, node, now));
          return null;
        });
  }

  /**
   * Clears the nickname a session shows, without touching its lease (self-fencing keeps the lease for a reclaim),
   * and publishes a {@code nick} event.
   *
   * @param session the session
   * @param user    its user
   * @return completes when shown
   */
  public Future<Void> showNoNick(String session, String user) {
    long now = clock.millis();
    return presence.setNick(session, null, null).map(shown -> {
      channel.publish(PresenceEvent.nick(session, user, null, node, now));
      return null;
    });
  }

  /** @return the re-assertion of live sessions whose cluster state was lost (docs/consistency.md) */
  public SessionRestore restores() {
    return restores;
  }

  /** @return the one end path of this node's sessions (every way a session ends goes through it) */
  public SessionEnd ends() {
    return ends;
  }

  /** @return joins and leaves of rooms */
  public RoomMemberships rooms() {
    return rooms;
  }

  /**
   * Takes back a nickname its session was told it lost only because this node lost the quorum (self-fencing), now
   * that the quorum is back: per {@code NickLeasePolicy.reclaim}, only if nobody else got it meanwhile.
   *
   * @param session the session
   * @param user    its user
   * @param display the nickname's display form
   * @param key     its normalized form
   * @return claimed (shown again, a {@code nick} event published) or rejected with {@code nick_taken}; failed with
   *     {@code ClusterStoreException} while the quorum is still missing
   */
  public Future<NickChange> reclaimNick(String session, String user, String display, String key) {
    long now = clock.millis();
    return nicknames.reclaim(key, display, new NickHolder(session, user, node), now, leaseTtlMs).compose(outcome -> {
      if (!(outcome instanceof ClaimOutcome.Granted granted)) {
        return Future.succeededFuture(new NickChange.Rejected("nick_taken", "another session holds it now"));
      }
      return presence.setNick(session, display, key).map(shown -> {
        channel.publish(PresenceEvent.nick(session, user, display, node, now));
        return new NickChange.Claimed(display, key, granted.lease().fencingToken());
      });
    });
  }

  /**
   * Lists the cluster's sessions for {@code who}.
   *
   * @param limit most entries returned
   * @return the first page; {@code next != null} means the list was truncated
   */
  public Future<PresencePage> who(int limit) {
    return presence.list(null, limit);
  }
}
