package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeasePolicy;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Entry processors on the nickname map: each applies one {@link NickLeasePolicy} rule atomically on the
 * key's partition thread. That is the compare-and-set the lease needs (no read-then-write race between
 * two claimants) in one round trip. Time comes from the caller, so the backup replays the same decision.
 */
final class NickLeaseProcessors {

  private NickLeaseProcessors() {
  }

  /** Writes a lease with its own remaining lifetime as TTL (the map forgets it when the lease ends). */
  static void store(Map.Entry<String, NickLease> entry, NickLease lease, long now) {
    long ttl = Math.max(1, lease.expiresAt() - now) + ClusterNames.TTL_SLACK_MS;
    ((ExtendedMapEntry<String, NickLease>) entry).setValue(lease, ttl, TimeUnit.MILLISECONDS);
  }

  /** {@link NickLeasePolicy#claim}. */
  record Claim(String nick, NickHolder claimant, long now, long leaseTtlMs)
      implements EntryProcessor<String, NickLease, ClaimOutcome> {
    @Override
    public ClaimOutcome process(Map.Entry<String, NickLease> entry) {
      ClaimOutcome outcome = NickLeasePolicy.claim(entry.getValue(), entry.getKey(), nick, claimant, now,
          leaseTtlMs);
      if (outcome instanceof ClaimOutcome.Granted granted) {
        store(entry, granted.lease(), now);
      }
      return outcome;
    }
  }

  /** {@link NickLeasePolicy#reclaim}. */
  record Reclaim(String nick, NickHolder claimant, long now, long leaseTtlMs)
      implements EntryProcessor<String, NickLease, ClaimOutcome> {
    @Override
    public ClaimOutcome process(Map.Entry<String, NickLease> entry) {
      ClaimOutcome outcome = NickLeasePolicy.reclaim(entry.getValue(), entry.getKey(), nick, claimant, now,
          leaseTtlMs);
      if (outcome instanceof ClaimOutcome.Granted granted) {
        store(entry, granted.lease(), now);
      }
      return outcome;
    }
  }

  /** {@link NickLeasePolicy#release}. */
  record Release(String session, long now, long tombstoneTtlMs)
      implements EntryProcessor<String, NickLease, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, NickLease> entry) {
      NickLease next = NickLeasePolicy.release(entry.getValue(), session, now, tombstoneTtlMs);
      if (next == null) {
        return Boolean.FALSE;
      }
      store(entry, next, now);
      return Boolean.TRUE;
    }
  }

  /** {@link NickLeasePolicy#enterGrace}. */
  record EnterGrace(String session, long now, long graceMs) implements EntryProcessor<String, NickLease, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, NickLease> entry) {
      NickLease next = NickLeasePolicy.enterGrace(entry.getValue(), session, now, graceMs);
      if (next == null) {
        return Boolean.FALSE;
      }
      store(entry, next, now);
      return Boolean.TRUE;
    }
  }

  /** {@link NickLeasePolicy#renew}; returns the renewed lease or {@code null} if it is not ours any more. */
  record Renew(String node, long now, long leaseTtlMs) implements EntryProcessor<String, NickLease, NickLease> {
    @Override
    public NickLease process(Map.Entry<String, NickLease> entry) {
      NickLease next = NickLeasePolicy.renew(entry.getValue(), node, now, leaseTtlMs);
      if (next != null) {
        store(entry, next, now);
      }
      return next;
    }
  }
}
