package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.presence.auth.Revocation;
import dev.presence.auth.RevocationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@link RevocationStore} on a Hazelcast IMap ({@link ClusterNames#REVOCATION_MAP}): key {@link Revocation#key()},
 * value the epoch ms it ends, and a per-entry TTL of the remaining time, so Hazelcast drops each entry when it ends
 * (Reference Manual, "Map Eviction": per-entry TTL). A write is one entry processor that keeps the later end; a
 * check is one read per key, at most two.
 *
 * <p>Threading: futures complete on the caller's Vert.x context ({@link ContextCompletion}).
 */
public final class HazelcastRevocationStore implements RevocationStore {

  private final Vertx vertx;
  private final IMap<String, Long> map;
  private final StoreOperationCounter operations;

  /**
   * @param vertx      the Vert.x instance (contexts for completion)
   * @param hazelcast  the member
   * @param operations told of every map call
   */
  public HazelcastRevocationStore(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(ClusterNames.REVOCATION_MAP);
    this.operations = operations;
  }

  @Override
  public Future<Void> revoke(Revocation revocation, long nowMs) {
    operations.count("revocations", "revoke");
    return ContextCompletion.onCallerContext(vertx, "revoke",
        map.submitToKey(revocation.key(), new RevocationProcessors.Extend(revocation.untilMs(), nowMs))).mapEmpty();
  }

  @Override
  public Future<Revocation> find(String user, String tokenId, long nowMs) {
    operations.count("revocations", "get");
    Future<Long> byUser = read(Revocation.key(Revocation.Kind.USER, user));
    Future<Long> byToken = tokenId == null ? Future.succeededFuture() : read(Revocation.key(Revocation.Kind.JTI, tokenId));
    return Future.all(byUser, byToken).map(both -> {
      // An entry whose end passed but that Hazelcast has not dropped yet (its expiry runs in the background) is over.
      if (byUser.result() != null && byUser.result() > nowMs) {
        return new Revocation(Revocation.Kind.USER, user, byUser.result());
      }
      if (byToken.result() != null && byToken.result() > nowMs) {
        return new Revocation(Revocation.Kind.JTI, tokenId, byToken.result());
      }
      return null;
    });
  }

  private Future<Long> read(String key) {
    return ContextCompletion.onCallerContext(vertx, "read revocation", map.getAsync(key));
  }
}
