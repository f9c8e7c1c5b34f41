package dev.presence.cluster;

/**
 * Told of every call this node makes on a Hazelcast map, so that the cost of the cluster store is visible
 * (the {@code presence_store_operations_total} counter): lease renewal must cost one call per map per
 * verticle per renewal period, not one per session or heartbeat. A batched call ({@code submitToKeys})
 * counts once. Called on the caller's thread (an event loop); implementations must be cheap and
 * thread-safe.
 */
@FunctionalInterface
public interface StoreOperationCounter {

  /** Counts nothing (tests that build a store by hand). */
  StoreOperationCounter NONE = (map, operation) -> { };

  /**
   * @param map       {@code sessions}, {@code nicknames} or {@code session_slots}
   * @param operation short name of the call, e.g. {@code renew_batch}, {@code claim}
   */
  void count(String map, String operation);
}
