package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.presence.presence.SessionSlotStore;
import dev.presence.presence.SlotAdmission;
import dev.presence.presence.UserSessionSlots;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;

/**
 * {@link SessionSlotStore} on a Hazelcast IMap keyed by user: admit and release are single-key entry
 * processors (atomic per user on the partition thread), renewal is one {@code submitToKeys} per batch,
 * the read is an async get. Futures complete on the caller's context. Thread-safe.
 */
public final class HazelcastSessionSlotStore implements SessionSlotStore {

  private final Vertx vertx;
  private final IMap<String, UserSessionSlots> map;
  private final com.hazelcast.partition.PartitionService partitions;
  private final StoreOperationCounter operations;

  /**
   * @param vertx      the Vert.x instance (contexts for completion)
   * @param hazelcast  the member
   * @param operations told of every map call
   */
  public HazelcastSessionSlotStore(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(ClusterNames.SESSION_SLOT_MAP);
    this.partitions = hazelcast.getPartitionService();
    this.operations = operations;
  }

  private void count(String operation) {
    operations.count("session_slots", operation);
  }

  @Override
  public Future<SlotAdmission> acquire(String user, String session, String node, int maxSessions, long now,
      long ttlMs) {
    count("admit");
    return ContextCompletion.onCallerContext(vertx, "admit session slot",
        map.submitToKey(user, new SessionSlotProcessors.Admit(session, node, maxSessions, now, ttlMs)));
  }

  @Override
  public Future<Boolean> release(String user, String session, long now) {
    count("release");
    return ContextCompletion.onCallerContext(vertx, "release session slot",
        map.submitToKey(user, new SessionSlotProcessors.Release(session, now)));
  }

  @Override
  public Future<Void> renewAll(Set<String> users, String node, long now, long ttlMs) {
    if (users.isEmpty()) {
      return Future.succeededFuture();
    }
    count("renew_batch");
    return ContextCompletion.onCallerContext(vertx, "renew session slots",
        PartitionedKeys.submitToKeys(partitions, map, users, new SessionSlotProcessors.Renew(node, now, ttlMs)))
        .mapEmpty();
  }

  @Override
  public Future<Set<String>> liveSessions(String user, long now) {
    count("get");
    return ContextCompletion.onCallerContext(vertx, "read session slots", map.getAsync(user))
        .map(slots -> slots == null ? Set.of() : Set.copyOf(slots.live(now).slots().keySet()));
  }
}
