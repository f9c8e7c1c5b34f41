package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.store.ClusterStoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link NicknameLeaseStore} on a Hazelcast IMap: every change is one single-key entry processor (atomic
 * per nickname), renewal is one {@code submitToKeys} call per batch. Futures complete on the caller's
 * context. Thread-safe.
 */
public final class HazelcastNicknameLeaseStore implements NicknameLeaseStore {

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  /** The map's proxy, created on first use: see {@link #map()}. */
  private volatile IMap<String, NickLease> map;
  private final long tombstoneTtlMs;
  /** Split-brain protection guarding the map, or {@code null} when none is configured (cluster size 1). */
  private final String protection;
  private final StoreOperationCounter operations;

  /**
   * @param vertx          the Vert.x instance
   * @param hazelcast      the member
   * @param tombstoneTtlMs how long a released nickname's entry keeps its fencing token (ms)
   * @param operations     told of every map call
   */
  public HazelcastNicknameLeaseStore(Vertx vertx, HazelcastInstance hazelcast, long tombstoneTtlMs,
      StoreOperationCounter operations) {
    this.operations = operations;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.tombstoneTtlMs = tombstoneTtlMs;
    this.protection = hazelcast.getConfig().getMapConfig(ClusterNames.NICKNAME_MAP).getSplitBrainProtectionName();
  }

  /**
   * Fails a nickname call at once when this member already knows its side is below the quorum. Without
   * this, a change keyed to a partition whose owner and backup are both on the other side has no owner here
   * and Hazelcast retries it until the call timeout (a minute) instead of refusing it; the quorum check on
   * the partition owner (Hazelcast split-brain protection) only runs once an owner exists.
   */
  private <T> Future<T> withQuorum(String operation, String label, Supplier<Future<T>> change) {
    if (protection != null
        && !hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(protection).hasMinimumSize()) {
      return Future.failedFuture(ClusterStoreException.noQuorum(operation));
    }
    operations.count("nicknames", label);
    try {
      return change.get();
    } catch (RuntimeException e) {
      // Creating the proxy (first use) failed: the quorum was lost since the check above.
      return Future.failedFuture(ContextCompletion.wrap(operation, e));
    }
  }

  /**
   * The map's proxy, created on the first call that has the quorum. Not at construction: creating the proxy
   * adds the map's user index on every partition, an operation Hazelcast's split-brain protection refuses
   * without the quorum, so a node started on a minority side (or alone, of an expected three) would fail to
   * start instead of serving presence and refusing nicknames. A failed creation is retried by the next call.
   */
  private IMap<String, NickLease> map() {
    IMap<String, NickLease> proxy = map;
    if (proxy == null) {
      proxy = hazelcast.getMap(ClusterNames.NICKNAME_MAP);
      map = proxy;
    }
    return proxy;
  }

  @Override
  public Future<ClaimOutcome> acquire(String key, String nick, NickHolder claimant, long now, long leaseTtlMs) {
    return withQuorum("claim nickname", "claim", () -> ContextCompletion.onCallerContext(vertx,
        "claim nickname", map().submitToKey(key, new NickLeaseProcessors.Claim(nick, claimant, now, leaseTtlMs))));
  }

  @Override
  public Future<ClaimOutcome> reclaim(String key, String nick, NickHolder claimant, long now, long leaseTtlMs) {
    return withQuorum("reclaim nickname", "reclaim", () -> ContextCompletion.onCallerContext(vertx,
        "reclaim nickname", map().submitToKey(key, new NickLeaseProcessors.Reclaim(nick, claimant, now, leaseTtlMs))));
  }

  @Override
  public Future<Boolean> release(String key, String session, long now) {
    return withQuorum("release nickname", "release", () -> ContextCompletion.onCallerContext(vertx,
        "release nickname", map().submitToKey(key, new NickLeaseProcessors.Release(session, now, tombstoneTtlMs))));
  }

  @Override
  public Future<Boolean> enterGrace(String key, String session, long now, long graceMs) {
    return withQuorum("reserve nickname for grace period", "enter_grace", () -> ContextCompletion.onCallerContext(
        vertx,
        "reserve nickname for grace period",
        map().submitToKey(key, new NickLeaseProcessors.EnterGrace(session, now, graceMs))));
  }

  /**
   * One query on the nickname map's user index ({@link HazelcastConfigFactory} adds it), on a worker thread (IMap
   * queries have no async form); each member answers from its own partitions' index.
   */
  @Override
  public Future<List<NickLease>> findByUser(String user) {
    Predicate<String, NickLease> ofUser = Predicates.equal(ClusterNames.NICKNAME_USER_ATTRIBUTE, user);
    return withQuorum("find nickname leases of user", "query_user", () -> ContextCompletion.blocking(vertx,
        "find nickname leases of user", () -> new ArrayList<>(map().values(ofUser))));
  }

  @Override
  public Future<Map<String, NickLease>> renewAll(Set<String> keys, String node, long now, long leaseTtlMs) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return withQuorum("renew nickname leases", "renew_batch", () -> ContextCompletion.onCallerContext(vertx,
        "renew nickname leases",
        PartitionedKeys.submitToKeys(hazelcast.getPartitionService(), map(), keys,
            new NickLeaseProcessors.Renew(node, now, leaseTtlMs)))).map(results -> {
          Map<String, NickLease> renewed = new HashMap<>();
          results.forEach((key, lease) -> {
            if (lease != null) {
              renewed.put(key, lease);
            }
          });
          return renewed;
        });
  }

  @Override
  public Future<Optional<NickLease>> get(String key) {
    return withQuorum("read nickname lease", "get", () -> ContextCompletion.onCallerContext(vertx,
        "read nickname lease", map().getAsync(key))).map(Optional::ofNullable);
  }
}
