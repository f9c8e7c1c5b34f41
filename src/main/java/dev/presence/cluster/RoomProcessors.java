package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomRelease;
import java.util.Map;

/**
 * Entry processors on the occupancy map (room → {@link RoomOccupancy}). Each runs atomically on the room's partition
 * thread (and again on the backup with the same inputs): the pure rules of {@link RoomOccupancy} applied to the
 * stored value, so exactly one caller sees a room go from empty to occupied and one from occupied to empty. No TTL:
 * an empty room's record is removed.
 */
final class RoomProcessors {

  private RoomProcessors() {
  }

  /** Takes a place for a session of {@code user} unless the room holds {@code maxMembers} sessions. */
  record Reserve(String user, int maxMembers) implements EntryProcessor<String, RoomOccupancy, RoomAdmission> {
    @Override
    public RoomAdmission process(Map.Entry<String, RoomOccupancy> entry) {
      RoomOccupancy current = entry.getValue() == null ? RoomOccupancy.empty(entry.getKey()) : entry.getValue();
      RoomOccupancy next = current.admit(user, maxMembers);
      if (next == null) {
        return new RoomAdmission.Full(current.sessions());
      }
      entry.setValue(next);
      return new RoomAdmission.Admitted(next, current.isEmpty());
    }
  }

  /** Gives a session's place back; removes the record when the room becomes empty. */
  record Release(String user) implements EntryProcessor<String, RoomOccupancy, RoomRelease> {
    @Override
    public RoomRelease process(Map.Entry<String, RoomOccupancy> entry) {
      RoomOccupancy current = entry.getValue();
      if (current == null) {
        return new RoomRelease(RoomOccupancy.empty(entry.getKey()), false);
      }
      RoomOccupancy next = current.release(user);
      entry.setValue(next.isEmpty() ? null : next);
      return new RoomRelease(next, next.isEmpty());
    }
  }

  /**
   * Overwrites the counters with a recount from the presence entries (drift repair) if the record is still at the
   * version the recount was compared with, moving the version on; returns the occupancy before, or null if nothing
   * was corrected (no record, or it changed meanwhile).
   */
  record Correct(RoomOccupancy recount, long expectedVersion)
      implements EntryProcessor<String, RoomOccupancy, RoomOccupancy> {
    @Override
    public RoomOccupancy process(Map.Entry<String, RoomOccupancy> entry) {
      RoomOccupancy current = entry.getValue();
      if (current == null || current.version() != expectedVersion) {
        return null;
      }
      entry.setValue(recount.isEmpty() ? null
          : new RoomOccupancy(entry.getKey(), recount.sessions(), recount.perUser(), current.version() + 1));
      return current;
    }
  }

  /** Rooms whose name sorts after a cursor (keyset paging), for use with the sorted key index's range. */
  record NameAfter(String after) implements com.hazelcast.query.Predicate<String, RoomOccupancy> {
    @Override
    public boolean apply(Map.Entry<String, RoomOccupancy> e) {
      return after == null || e.getKey().compareTo(after) > 0;
    }
  }

  /** Orders pages by room name. */
  static final class ByName implements java.util.Comparator<Map.Entry<String, RoomOccupancy>>,
      java.io.Serializable {
    @Override
    public int compare(Map.Entry<String, RoomOccupancy> a, Map.Entry<String, RoomOccupancy> b) {
      return a.getKey().compareTo(b.getKey());
    }
  }
}
