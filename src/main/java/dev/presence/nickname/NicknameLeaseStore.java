package dev.presence.nickname;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The port to the cluster-wide nickname lease map. Every operation is atomic per nickname (no
 * read-then-write). Implementations complete the returned future on the caller's Vert.x context; infra
 * failures fail it with {@code ClusterStoreException}.
 *
 * <p>Call from a Vert.x context (an event loop). Times passed in are epoch ms of the caller's clock.
 */
public interface NicknameLeaseStore {

  /**
   * Claims a nickname per {@link NickLeasePolicy#claim}.
   *
   * @param key        normalized nickname
   * @param nick       display form
   * @param claimant   who claims
   * @param now        epoch ms
   * @param leaseTtlMs held-lease lifetime without renewal (ms)
   * @return granted (maybe displacing an older session of the same user) or taken
   */
  Future<ClaimOutcome> acquire(String key, String nick, NickHolder claimant, long now, long leaseTtlMs);

  /**
   * Releases the nickname if the session holds it (compare-and-delete semantics).
   *
   * @return true if the session held it and it is now free
   */
  Future<Boolean> release(String key, String session, long now);

  /**
   * Re-asserts a nickname for a session whose connection survived the loss of its cluster state, per
   * {@link NickLeasePolicy#reclaim}: never displaces another session. Atomic per key; needs the quorum like every
   * change.
   *
   * @param key        normalized nickname
   * @param nick       display form
   * @param claimant   the re-asserting session on its node
   * @param now        epoch ms
   * @param leaseTtlMs lease lifetime (ms)
   * @return granted (no displaced session) or taken; failed with {@code ClusterStoreException} as for
   *     {@link #acquire}
   */
  Future<ClaimOutcome> reclaim(String key, String nick, NickHolder claimant, long now, long leaseTtlMs);

  /**
   * Puts the nickname into its grace period if the session holds it.
   *
   * @return true if it was held by the session and is now reserved for its user
   */
  Future<Boolean> enterGrace(String key, String session, long now, long graceMs);

  /**
   * Reads the nickname leases last held by sessions of one user, for the grace-lease cap
   * ({@link NickLeasePolicy#graceOverCap}). One indexed read whatever the size of the map (never a scan of every
   * lease); not a snapshot: a lease written while it runs may be missed, which the cap's documented bound allows
   * for. Infra failures fail it with {@code ClusterStoreException}.
   *
   * @param user the user (as {@link NickHolder#user()})
   * @return the leases whose holder is of that user, in any state, in no particular order (callers judge them with
   *     {@code now})
   */
  Future<List<NickLease>> findByUser(String user);

  /**
   * Renews, in one cluster operation, every given lease held by a session of {@code node}.
   *
   * @param keys       normalized nicknames held by sessions of the calling verticle
   * @param node       the calling node
   * @param now        epoch ms
   * @param leaseTtlMs new lifetime (ms)
   * @return for each key, the lease after renewal, or absent if it is no longer held by this node
   */
  Future<Map<String, NickLease>> renewAll(Set<String> keys, String node, long now, long leaseTtlMs);

  /**
   * Reads a lease.
   *
   * @return the stored lease, whatever its state (callers decide with {@link NickLease#isFree})
   */
  Future<Optional<NickLease>> get(String key);
}
