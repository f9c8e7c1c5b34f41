package dev.presence.cluster;

import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;
import dev.presence.presence.PresenceEntry;

/**
 * The {@value #ATTRIBUTE} attribute of a presence entry: the names of the rooms the session is in, one value each,
 * so a hash index on it answers "who is in room R" without a scan (Hazelcast Reference Manual, "Custom Attributes":
 * an extractor may collect several values; an index then holds the entry under each). The entries are stored with
 * custom serializers, not as Portable or Compact, so Hazelcast hands the extractor the deserialized entry.
 *
 * <p>Public with a public no-argument constructor because Hazelcast instantiates it by class name on every member.
 * Stateless; runs on partition and query threads.
 */
public final class RoomsExtractor implements ValueExtractor<PresenceEntry, Object> {

  /** The attribute's name, as queries and the index name it. */
  static final String ATTRIBUTE = "rooms";

  /** Called by Hazelcast. */
  public RoomsExtractor() {
  }

  @Override
  public void extract(PresenceEntry target, Object argument, ValueCollector collector) {
    for (String room : target.rooms().keySet()) {
      collector.addObject(room);
    }
  }
}
