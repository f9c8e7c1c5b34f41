package dev.presence.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import dev.presence.nickname.NickLease;

/**
 * After a split brain heals, keeps for each nickname the lease with the higher fencing token: the one
 * granted last (tokens grow with time and with every grant), which, with split-brain protection on, can
 * only have been granted by the majority side. Deterministic and independent of which side merges into
 * which. The holder of the losing lease is told {@code nick.lost} by its node's next lease check.
 *
 * <p>Runs on Hazelcast partition threads during the merge; stateless.
 */
public final class NickLeaseMergePolicy implements SplitBrainMergePolicy<NickLease, MergingValue<NickLease>, Object> {

  /** Hazelcast instantiates merge policies by class name. */
  public NickLeaseMergePolicy() {
  }

  @Override
  public Object merge(MergingValue<NickLease> merging, MergingValue<NickLease> existing) {
    if (merging == null) {
      return existing == null ? null : existing.getRawValue();
    }
    if (existing == null) {
      return merging.getRawValue();
    }
    NickLease incoming = merging.getValue();
    NickLease current = existing.getValue();
    return incoming.fencingToken() > current.fencingToken() ? merging.getRawValue() : existing.getRawValue();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // Stateless.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // Stateless.
  }
}
