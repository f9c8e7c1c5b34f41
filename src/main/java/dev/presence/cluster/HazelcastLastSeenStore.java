package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.presence.presence.LastSeenStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.OptionalLong;

/**
 * {@link LastSeenStore} on a Hazelcast IMap keyed by user, values epoch ms (a {@code Long}: Hazelcast's own
 * serializer). A record is one entry processor that keeps the later time and writes the TTL explicitly.
 */
public final class HazelcastLastSeenStore implements LastSeenStore {

  private final Vertx vertx;
  private final IMap<String, Long> map;
  private final StoreOperationCounter operations;

  /**
   * @param vertx      the Vert.x instance (contexts for completion)
   * @param hazelcast  the member
   * @param operations told of every map call
   */
  public HazelcastLastSeenStore(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(ClusterNames.LAST_SEEN_MAP);
    this.operations = operations;
  }

  @Override
  public Future<Void> record(String user, long at, long ttlMs) {
    operations.count("last_seen", "record");
    return ContextCompletion.onCallerContext(vertx, "record last seen",
        map.submitToKey(user, new LastSeenProcessors.Record(at, ttlMs))).mapEmpty();
  }

  @Override
  public Future<OptionalLong> lastSeen(String user) {
    operations.count("last_seen", "get");
    return ContextCompletion.onCallerContext(vertx, "read last seen", map.getAsync(user))
        .map(at -> at == null ? OptionalLong.empty() : OptionalLong.of(at));
  }
}
