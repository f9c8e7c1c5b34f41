package dev.presence.cluster;

import com.hazelcast.query.Predicate;
import dev.presence.presence.PresenceEntry;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;

/**
 * Query predicates on the presence map. Named classes rather than reflective attribute paths, so they do
 * not depend on how Hazelcast extracts record components; they run on every member holding partitions.
 */
final class PresenceQueries {

  private PresenceQueries() {
  }

  // RenewedBefore, OwnedBy and OfUser are no longer sent by this version: it queries the map's indexes with
  // Hazelcast's own predicates. They stay registered (ClusterSerializers) so that a member of the previous version
  // can still run its sweep and member-loss queries against this one during a rolling update; remove them in the
  // release after.

  /** Entries whose last heartbeat is before a bound (epoch ms). Sent only by the previous version. */
  record RenewedBefore(long bound) implements Predicate<String, PresenceEntry> {
    @Override
    public boolean apply(Map.Entry<String, PresenceEntry> e) {
      return e.getValue().lastRenewedAt() < bound;
    }
  }

  /** Entries owned by one node. Sent only by the previous version. */
  record OwnedBy(String node) implements Predicate<String, PresenceEntry> {
    @Override
    public boolean apply(Map.Entry<String, PresenceEntry> e) {
      return node.equals(e.getValue().node());
    }
  }

  /** Entries of one user. Sent only by the previous version. */
  record OfUser(String user) implements Predicate<String, PresenceEntry> {
    @Override
    public boolean apply(Map.Entry<String, PresenceEntry> e) {
      return user.equals(e.getValue().user());
    }
  }

  /** Entries whose session id sorts after a cursor (keyset paging). */
  record KeyAfter(String after) implements Predicate<String, PresenceEntry> {
    @Override
    public boolean apply(Map.Entry<String, PresenceEntry> e) {
      return after == null || e.getKey().compareTo(after) > 0;
    }
  }

  /** Orders pages by session id. */
  static final class ByKey implements Comparator<Map.Entry<String, PresenceEntry>>, Serializable {
    @Override
    public int compare(Map.Entry<String, PresenceEntry> a, Map.Entry<String, PresenceEntry> b) {
      return a.getKey().compareTo(b.getKey());
    }
  }
}
