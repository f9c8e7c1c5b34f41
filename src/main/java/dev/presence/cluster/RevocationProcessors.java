package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Entry processors on the revocation map: tiny and pure, run on the key's partition thread. */
final class RevocationProcessors {

  private RevocationProcessors() {
  }

  /**
   * Keeps the later end of the stored and the new revocation, with a TTL that runs to that end: a revocation never
   * shortens another.
   *
   * @param untilMs epoch ms the new revocation ends
   * @param nowMs   epoch ms now, on the revoking node
   */
  record Extend(long untilMs, long nowMs) implements EntryProcessor<String, Long, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, Long> entry) {
      Long current = entry.getValue();
      long until = current == null ? untilMs : Math.max(current, untilMs);
      ((ExtendedMapEntry<String, Long>) entry).setValue(until, Math.max(1, until - nowMs), TimeUnit.MILLISECONDS);
      return Boolean.TRUE;
    }
  }
}
