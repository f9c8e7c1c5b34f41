package dev.presence.presence;

import io.vertx.core.Future;
import java.util.Set;

/**
 * The port to the cluster-wide session count per user (user → {@link UserSessionSlots}): each session of a
 * user holds one slot, a lease with the same TTL as its presence entry. Every change is atomic per user
 * (two nodes admitting the same user's sessions at once are serialized), and every change first drops
 * slots whose lease has run out, so slots of sessions that died without a release heal by themselves.
 * The stored value also gets a map TTL (its latest slot expiry plus slack), so users without sessions
 * vanish.
 *
 * <p>Threading: call from a Vert.x context; futures complete on the caller's context. Infrastructure
 * failures fail the future with {@code ClusterStoreException}. Times are epoch ms from the caller, so every
 * member (and the backup replaying a change) judges expiry alike.
 */
public interface SessionSlotStore {

  /**
   * Takes a slot for a joining session, if the user has fewer than {@code maxSessions} live slots. Idempotent
   * per session: admitting a session that already holds a slot restarts its lease and admits it again.
   *
   * @param user        the user
   * @param session     the joining session
   * @param node        the node owning the session (renews the slot)
   * @param maxSessions most live slots the user may hold (≥ 1)
   * @param now         epoch ms
   * @param ttlMs       slot lease TTL (ms)
   * @return admitted or refused (with the user's live sessions)
   */
  Future<SlotAdmission> acquire(String user, String session, String node, int maxSessions, long now, long ttlMs);

  /**
   * Frees a session's slot.
   *
   * @param user    the user
   * @param session the ended session
   * @param now     epoch ms
   * @return true if the session held a live slot
   */
  Future<Boolean> release(String user, String session, long now);

  /**
   * Restarts, in one cluster call, the leases of every live slot owned by {@code node} of the given users.
   * Never recreates a slot that expired or was released.
   *
   * <p>Keyed by user, not by session, on purpose: a Hazelcast {@code submitToKeys} ships one processor to every
   * partition (and every backup) it touches, so a processor carrying each user's session ids would be sent
   * once per partition with all of them (hundreds of KB times 271 partitions per renewal at 10,000 sessions).
   * The cost of renewing by node: a slot whose release failed stays renewed while its user has another
   * session on the same node (docs/consistency.md).
   *
   * @param users users with at least one active session on this caller
   * @param node  the renewing node
   * @param now   epoch ms
   * @param ttlMs slot lease TTL (ms)
   * @return completes when renewed
   */
  Future<Void> renewAll(Set<String> users, String node, long now, long ttlMs);

  /**
   * Reads the user's live slots.
   *
   * @param user the user
   * @param now  epoch ms
   * @return the sessions holding a live slot
   */
  Future<Set<String>> liveSessions(String user, long now);
}
