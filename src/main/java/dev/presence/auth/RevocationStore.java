package dev.presence.auth;

import io.vertx.core.Future;

/**
 * The cluster-wide revocations (port; Hazelcast implementation in {@code cluster/}). Entries expire by themselves at
 * their revocation's end (a store TTL, not a sweep).
 *
 * <p>Threading: call from a Vert.x context; futures complete on it. Failures are {@code ClusterStoreException}.
 */
public interface RevocationStore {

  /**
   * Writes a revocation; a longer one already stored for the same user or jti is kept (a revocation never shortens
   * another).
   *
   * @param revocation what to revoke, and until when
   * @param nowMs      epoch ms now (the TTL is {@code untilMs - nowMs})
   * @return completes once stored
   */
  Future<Void> revoke(Revocation revocation, long nowMs);

  /**
   * @param user    the token's user
   * @param tokenId the token's {@code jti}, or {@code null}
   * @param nowMs   epoch ms now
   * @return the revocation that refuses such a token now, or {@code null} if none does
   */
  Future<Revocation> find(String user, String tokenId, long nowMs);
}
