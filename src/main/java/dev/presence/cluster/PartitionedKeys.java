package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs an entry processor on many keys with one {@link IMap#submitToKeys} call per partition, each carrying only that
 * partition's keys.
 *
 * <p>Why not one call: Hazelcast 5.3's {@code submitToKeys} is not partition-aware. It hands every key to every
 * partition's operation ({@code MultipleEntryOperationFactory}), so each partition hashes all the keys to find its
 * own, and each partition's backup operation carries and hashes all of them again: CPU and bytes of O(keys ×
 * partitions). A renewal batch of 4,750 sessions made 271 × 4,750 hashes per map on the partition threads, and a
 * profile of the {@code rooms} load run found those threads spending most of their time there. Grouped here, the
 * work is O(keys), for at most one invocation per partition (271 by default) instead of one per member.
 *
 * <p>Threading: any thread; the partition of a key is computed locally (it serializes the key). The returned stage
 * completes on a Hazelcast thread, like {@code submitToKeys}'s.
 */
final class PartitionedKeys {

  private PartitionedKeys() {
  }

  /**
   * @param partitions the member's partition service (where each key lives)
   * @param map        the map
   * @param keys       the keys (not empty)
   * @param processor  the processor, run once per key as {@code submitToKeys} runs it
   * @return key → result, as {@code submitToKeys} returns it; fails with the first call's failure
   */
  static <K, V, R> CompletionStage<Map<K, R>> submitToKeys(PartitionService partitions, IMap<K, V> map, Set<K> keys,
      EntryProcessor<K, V, R> processor) {
    Map<Integer, Set<K>> byPartition = new HashMap<>();
    for (K key : keys) {
      byPartition.computeIfAbsent(partitions.getPartition(key).getPartitionId(), p -> new HashSet<>()).add(key);
    }
    if (byPartition.size() == 1) {
      return map.submitToKeys(byPartition.values().iterator().next(), processor);
    }
    List<CompletableFuture<Map<K, R>>> calls = new ArrayList<>(byPartition.size());
    byPartition.values().forEach(group -> calls.add(map.submitToKeys(group, processor).toCompletableFuture()));
    // Non-async: the merge runs on the thread that completed the last call, never on the common pool.
    return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      Map<K, R> results = new HashMap<>(keys.size() * 2);
      calls.forEach(call -> results.putAll(call.join()));
      return results;
    });
  }
}
