package dev.presence.cluster;

import com.hazelcast.aggregation.Aggregator;
import dev.presence.presence.PresenceEntry;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts presence entries per owning node in one pass over the presence map: each data member counts its own
 * partitions and the caller combines the partial counts, instead of one query per node. Runs on Hazelcast's
 * query threads; confined to one thread at a time (Hazelcast creates one instance per partition batch).
 */
final class SessionsPerNode implements Aggregator<Map.Entry<String, PresenceEntry>, Map<String, Long>> {

  private final Map<String, Long> counts;

  SessionsPerNode() {
    this(new HashMap<>());
  }

  SessionsPerNode(Map<String, Long> counts) {
    this.counts = counts;
  }

  @Override
  public void accumulate(Map.Entry<String, PresenceEntry> entry) {
    counts.merge(entry.getValue().node(), 1L, Long::sum);
  }

  @Override
  public void combine(Aggregator aggregator) {
    ((SessionsPerNode) aggregator).counts.forEach((node, n) -> counts.merge(node, n, Long::sum));
  }

  @Override
  public Map<String, Long> aggregate() {
    return Map.copyOf(counts);
  }

  /** @return the partial counts so far (for the serializer) */
  Map<String, Long> counts() {
    return counts;
  }
}
