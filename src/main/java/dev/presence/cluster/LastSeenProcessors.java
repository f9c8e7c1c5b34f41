package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Entry processors on the last-seen map: tiny and pure, run on the key's partition thread. */
final class LastSeenProcessors {

  private LastSeenProcessors() {
  }

  /** Keeps the later of the stored and the new time, and restarts the TTL. */
  record Record(long at, long ttlMs) implements EntryProcessor<String, Long, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, Long> entry) {
      Long current = entry.getValue();
      long latest = current == null ? at : Math.max(current, at);
      ((ExtendedMapEntry<String, Long>) entry).setValue(latest, ttlMs, TimeUnit.MILLISECONDS);
      return Boolean.TRUE;
    }
  }
}
