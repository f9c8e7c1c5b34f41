package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.presence.presence.SlotAdmission;
import dev.presence.presence.UserSessionSlots;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Entry processors on the session-slot map (user → {@link UserSessionSlots}). Each applies one pure
 * {@link UserSessionSlots} rule on the user's partition thread: that is what makes the count atomic
 * cluster-wide (two members admitting the same user's 10th and 11th session are serialized on one
 * partition thread). Time comes from the caller, so the backup replays the same decision.
 */
final class SessionSlotProcessors {

  private SessionSlotProcessors() {
  }

  /**
   * Writes the user's slots with a map TTL that ends with the latest slot (plus slack), or removes the entry
   * when no slot is left, so users without sessions vanish from the map.
   */
  static void store(Map.Entry<String, UserSessionSlots> entry, UserSessionSlots next, long now) {
    if (next.isEmpty()) {
      entry.setValue(null);
      return;
    }
    long ttl = Math.max(1, next.latestExpiry() - now) + ClusterNames.TTL_SLACK_MS;
    ((ExtendedMapEntry<String, UserSessionSlots>) entry).setValue(next, ttl, TimeUnit.MILLISECONDS);
  }

  /** {@link UserSessionSlots#admit}. */
  record Admit(String session, String node, int maxSessions, long now, long ttlMs)
      implements EntryProcessor<String, UserSessionSlots, SlotAdmission> {
    @Override
    public SlotAdmission process(Map.Entry<String, UserSessionSlots> entry) {
      UserSessionSlots.Admission admission = UserSessionSlots.admit(entry.getValue(), session, node, maxSessions,
          now, ttlMs);
      if (!admission.next().equals(entry.getValue())) {
        store(entry, admission.next(), now);
      }
      return admission.outcome();
    }
  }

  /** {@link UserSessionSlots#release}; true if the session held a live slot. */
  record Release(String session, long now) implements EntryProcessor<String, UserSessionSlots, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, UserSessionSlots> entry) {
      UserSessionSlots current = entry.getValue();
      if (current == null) {
        return Boolean.FALSE;
      }
      boolean held = current.live(now).slots().containsKey(session);
      UserSessionSlots next = UserSessionSlots.release(current, session, now);
      if (!next.equals(current)) {
        store(entry, next, now);
      }
      return held;
    }
  }

  /** {@link UserSessionSlots#renew}; returns nothing (the caller only needs the call to complete). */
  record Renew(String node, long now, long ttlMs) implements EntryProcessor<String, UserSessionSlots, Object> {
    @Override
    public Object process(Map.Entry<String, UserSessionSlots> entry) {
      UserSessionSlots current = entry.getValue();
      if (current != null) {
        store(entry, UserSessionSlots.renew(current, node, now, ttlMs), now);
      }
      return null;
    }
  }
}
