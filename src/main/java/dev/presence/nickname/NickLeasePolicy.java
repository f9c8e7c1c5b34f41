package dev.presence.nickname;

import dev.presence.session.LeaveReason;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The nickname lease rules, as pure functions of the current lease and the time. No I/O, no Vert.x, no
 * Hazelcast: the cluster adapter runs these inside single-key entry processors (atomic per key on the
 * partition thread), the in-memory store runs them under a lock, and unit tests call them directly.
 * Thread-safe (stateless).
 */
public final class NickLeasePolicy {

  private NickLeasePolicy() {
  }

  /**
   * The one decision of a nickname's fate when its session ends, for every end path (bye, close, reset,
   * heartbeat timeout, token expiry, kick, takeover, hold expiry, stale sweep, member loss, drain):
   * <ul>
   *   <li>an end decided by or for the user ({@code bye}, {@code kicked}) frees it at once;</li>
   *   <li>a {@code takeover} keeps it as it is: the newer session of the same user already holds it;</li>
   *   <li>the end of a hold keeps it: its grace period began when the hold did ({@link #fateOnHold});</li>
   *   <li>every other end (the client may come back: reset, close without bye, timeout, expired token, a
   *       lost or draining node, an eviction) reserves it for the same user for the grace period (the Devzat
   *       fix: a dropped client gets its nickname back instead of finding it "in use" for hours).</li>
   * </ul>
   *
   * @param reason  why the session ended
   * @param wasHeld whether the session was held for resume when it ended
   * @return the nickname's fate
   */
  public static NickFate fateOnEnd(LeaveReason reason, boolean wasHeld) {
    if (reason == LeaveReason.BYE || reason == LeaveReason.KICKED) {
      return NickFate.FREE;
    }
    if (reason == LeaveReason.TAKEOVER || wasHeld) {
      return NickFate.KEEP;
    }
    return NickFate.GRACE;
  }

  /**
   * A resumable session lost its connection and is held for resume (docs/protocol.md §11.4): its nickname
   * is reserved for the user for the hold, which lasts the grace period.
   *
   * @param reason how the connection ended (one that {@link LeaveReason#holdsResumableSession()})
   * @return {@link NickFate#GRACE}
   */
  public static NickFate fateOnHold(LeaveReason reason) {
    return NickFate.GRACE;
  }

  /**
   * The per-user cap on grace-period reservations ({@code PRESENCE_MAX_GRACE_LEASES_PER_USER}): which of a user's
   * nicknames in grace to free, after an end has put one more in grace. The newest {@code maxPerUser} stay; every
   * older one is freed (released for anyone), oldest first. Without the cap a client cycling claim and connection
   * reset reserves a new nickname per cycle, each for the whole grace period, and can keep any number of names from
   * everybody else. Newest means the latest grace end ({@code expiresAt}): every node reserves for the same
   * {@code PRESENCE_NICK_GRACE_MS}, so the reservation made last ends last (clock skew between nodes aside); the
   * fencing token, then the key, break ties so every node picks the same ones.
   *
   * <p>Leases of other users, held ones, released ones and ended grace periods do not count and are never
   * returned. Freeing is then {@link #release} by the reserving session, a compare-and-set: a nickname the user
   * took back meanwhile (held again) is not freed.
   *
   * @param leases     the user's leases as the store found them (any state)
   * @param user       the user whose reservations are counted
   * @param maxPerUser how many reservations may stay (at least 1)
   * @param now        epoch ms
   * @return the reservations to free, oldest first; empty when the user is within the cap
   */
  public static List<NickLease> graceOverCap(Collection<NickLease> leases, String user, int maxPerUser, long now) {
    List<NickLease> oldestFirst = leases.stream()
        .filter(lease -> lease.state() == NickLeaseState.GRACE && !lease.isFree(now)
            && lease.holder().user().equals(user))
        .sorted(Comparator.comparingLong(NickLease::expiresAt).thenComparingLong(NickLease::fencingToken)
            .thenComparing(NickLease::key))
        .toList();
    return oldestFirst.subList(0, Math.max(0, oldestFirst.size() - maxPerUser));
  }

  /**
   * Decides a claim.
   * <ul>
   *   <li>free (absent, released, or expired) → granted with a new fencing token;</li>
   *   <li>held by the same session → granted again (renewed, same token);</li>
   *   <li>held or in grace for the same user → granted with a new token; an older holding session is
   *       displaced (takeover: "the newest session of a user wins");</li>
   *   <li>otherwise → taken.</li>
   * </ul>
   *
   * @param current   the stored lease or {@code null}
   * @param key       normalized nickname
   * @param nick      display form
   * @param claimant  who claims
   * @param now       epoch ms
   * @param leaseTtlMs how long a held lease lives without renewal (ms)
   * @return the outcome; when granted, {@code lease()} is the value to store
   */
  public static ClaimOutcome claim(NickLease current, String key, String nick, NickHolder claimant, long now,
      long leaseTtlMs) {
    long expiresAt = now + leaseTtlMs;
    if (current == null || current.isFree(now)) {
      return new ClaimOutcome.Granted(
          new NickLease(key, nick, claimant, nextToken(current, now), expiresAt, NickLeaseState.HELD), null);
    }
    if (current.holder().session().equals(claimant.session()) && current.state() == NickLeaseState.HELD) {
      return new ClaimOutcome.Granted(
          new NickLease(key, nick, claimant, current.fencingToken(), expiresAt, NickLeaseState.HELD), null);
    }
    if (current.holder().user().equals(claimant.user())) {
      String displaced = current.state() == NickLeaseState.HELD ? current.holder().session() : null;
      return new ClaimOutcome.Granted(
          new NickLease(key, nick, claimant, nextToken(current, now), expiresAt, NickLeaseState.HELD),
          displaced);
    }
    return new ClaimOutcome.Taken(current);
  }

  /**
   * Re-assertion by a session whose connection is alive but whose cluster state was lost (a healed split discarded
   * it, or a node that could not hear its owner evicted it): it takes back what is still its own and never takes
   * anything from another session. Unlike {@link #claim}, a lease another session of the same user holds is not
   * displaced (that session is the newer one: it claimed the nickname while this one was cut off).
   * <ul>
   *   <li>free (absent, released, or expired) → granted with a new fencing token;</li>
   *   <li>held by the same session → granted again (renewed, same token);</li>
   *   <li>in grace for the same session (the eviction's reservation, nobody claimed since) → granted with a new
   *       token;</li>
   *   <li>otherwise (held, or in grace, for another session) → taken: the session is told {@code nick.lost}.</li>
   * </ul>
   *
   * @param current   the stored lease or {@code null}
   * @param key       normalized nickname
   * @param nick      display form
   * @param claimant  the session re-asserting, on its node
   * @param now       epoch ms
   * @param leaseTtlMs how long a held lease lives without renewal (ms)
   * @return the outcome (never a displacement); when granted, {@code lease()} is the value to store
   */
  public static ClaimOutcome reclaim(NickLease current, String key, String nick, NickHolder claimant, long now,
      long leaseTtlMs) {
    long expiresAt = now + leaseTtlMs;
    if (current == null || current.isFree(now)) {
      return new ClaimOutcome.Granted(
          new NickLease(key, nick, claimant, nextToken(current, now), expiresAt, NickLeaseState.HELD), null);
    }
    String session = claimant.session();
    if (current.isHeldBy(session, now)) {
      return new ClaimOutcome.Granted(
          new NickLease(key, nick, claimant, current.fencingToken(), expiresAt, NickLeaseState.HELD), null);
    }
    if (current.isInGraceFor(session, now)) {
      return new ClaimOutcome.Granted(
          new NickLease(key, nick, claimant, nextToken(current, now), expiresAt, NickLeaseState.HELD), null);
    }
    return new ClaimOutcome.Taken(current);
  }

  /**
   * Release on purpose ({@code release}, {@code bye}, or a kick that ends a session held for resume): free at once
   * for everyone. Compare-and-set on the session: it must hold the lease, or be the session whose grace-period
   * reservation it is; any other session changes nothing.
   *
   * @param current   the stored lease or {@code null}
   * @param session   the releasing session
   * @param now       epoch ms
   * @param tombstoneTtlMs how long the released tombstone keeps the fencing token (ms)
   * @return the lease to store, or {@code null} when nothing changes
   */
  public static NickLease release(NickLease current, String session, long now, long tombstoneTtlMs) {
    if (current == null || !(current.isHeldBy(session, now) || current.isInGraceFor(session, now))) {
      return null;
    }
    return new NickLease(current.key(), current.nick(), current.holder(), current.fencingToken(),
        now + tombstoneTtlMs, NickLeaseState.RELEASED);
  }

  /**
   * Abnormal end of the holding session (timeout, reset, node lost, shutdown): reserve the nickname for
   * the same user for the grace period (the Devzat fix: a dropped client gets its nickname back instead
   * of finding it "in use" for hours). Compare-and-set on the session.
   *
   * <p>A held lease of the session that has run out but is still stored (its map TTL outlasts {@code expiresAt} by
   * {@code ClusterNames.TTL_SLACK_MS}) is reserved too: nobody claimed it meanwhile (a claim would have made another
   * session its holder), and its end simply came late, e.g. a sweep that found the stale session near the end of its
   * lease. Freeing it then would break the grace promise for a timing accident.
   *
   * @param current the stored lease or {@code null}
   * @param session the session that ended
   * @param now     epoch ms
   * @param graceMs grace period (ms); 0 frees the nickname at once
   * @return the lease to store, or {@code null} when nothing changes
   */
  public static NickLease enterGrace(NickLease current, String session, long now, long graceMs) {
    if (current == null || current.state() != NickLeaseState.HELD || !current.holder().session().equals(session)) {
      return null;
    }
    return new NickLease(current.key(), current.nick(), current.holder(), current.fencingToken(),
        now + graceMs, graceMs == 0 ? NickLeaseState.RELEASED : NickLeaseState.GRACE);
  }

  /**
   * Batched renewal by the node that owns the holding session.
   *
   * @param current    the stored lease or {@code null}
   * @param node       the renewing node
   * @param now        epoch ms
   * @param leaseTtlMs new lifetime (ms)
   * @return the renewed lease, or {@code null} if the lease is not held by a session of that node (lost)
   */
  public static NickLease renew(NickLease current, String node, long now, long leaseTtlMs) {
    if (current == null || current.state() != NickLeaseState.HELD || current.isFree(now)
        || !current.holder().node().equals(node)) {
      return null;
    }
    return new NickLease(current.key(), current.nick(), current.holder(), current.fencingToken(),
        now + leaseTtlMs, NickLeaseState.HELD);
  }

  /**
   * Fencing tokens: one more than the last token while the entry exists (held, grace or released
   * tombstone), and never below {@code now × 1000}, so that a nickname whose entry expired long ago still
   * gets a larger token than any it had before (assuming clocks do not step back by more than the
   * tombstone's lifetime).
   */
  static long nextToken(NickLease current, long now) {
    long floor = now * 1_000;
    return current == null ? floor : Math.max(current.fencingToken() + 1, floor);
  }
}
