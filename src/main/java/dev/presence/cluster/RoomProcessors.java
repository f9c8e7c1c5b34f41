package dev.presence.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomTally;
import java.util.Map;

/**
 * Entry processors on the occupancy map (room → {@link RoomTally}). Each write runs atomically on the room's partition
 * thread (and again on the backup with the same inputs): the pure rules of {@link RoomTally} applied to the stored
 * value, so exactly one caller sees a room go from empty to occupied and one from occupied to empty. Every answer
 * carries the counts only ({@link RoomOccupancy}): a join into a 5,000-user room gets a few bytes back, not the
 * room's per-user map. No TTL: an empty room's record is removed.
 */
final class RoomProcessors {

  private RoomProcessors() {
  }

  /** Takes a place for a session of {@code user} unless the room holds {@code maxMembers} sessions. */
  record Reserve(String user, int maxMembers) implements EntryProcessor<String, RoomTally, RoomAdmission> {
    @Override
    public RoomAdmission process(Map.Entry<String, RoomTally> entry) {
      RoomTally current = entry.getValue() == null ? RoomTally.empty(entry.getKey()) : entry.getValue();
      RoomTally next = current.admit(user, maxMembers);
      if (next == null) {
        return new RoomAdmission.Full(current.sessions());
      }
      entry.setValue(next);
      return new RoomAdmission.Admitted(next.occupancy(), current.isEmpty());
    }
  }

  /** Gives a session's place back; removes the record when the room becomes empty. */
  record Release(String user) implements EntryProcessor<String, RoomTally, RoomRelease> {
    @Override
    public RoomRelease process(Map.Entry<String, RoomTally> entry) {
      RoomTally current = entry.getValue();
      if (current == null) {
        return new RoomRelease(RoomOccupancy.empty(entry.getKey()), false);
      }
      RoomTally next = current.release(user);
      entry.setValue(next.isEmpty() ? null : next);
      return new RoomRelease(next.occupancy(), next.isEmpty());
    }
  }

  /**
   * Reads a room's counts without its per-user map: a read-only processor (no backup, no lock), so the answer is
   * small however many users the room has.
   */
  static final class ReadCounts implements EntryProcessor<String, RoomTally, RoomOccupancy>, ReadOnly {
    static final ReadCounts INSTANCE = new ReadCounts();

    @Override
    public RoomOccupancy process(Map.Entry<String, RoomTally> entry) {
      return entry.getValue() == null ? null : entry.getValue().occupancy();
    }

    @Override
    public EntryProcessor<String, RoomTally, RoomOccupancy> getBackupProcessor() {
      return null; // a read changes nothing to back up
    }
  }

  /**
   * Overwrites the tally with a recount from the presence entries (drift repair) if the record is still at the
   * version the recount was compared with, moving the version on; returns the counts before, or null if nothing
   * was corrected (no record, or it changed meanwhile).
   */
  record Correct(RoomTally recount, long expectedVersion)
      implements EntryProcessor<String, RoomTally, RoomOccupancy> {
    @Override
    public RoomOccupancy process(Map.Entry<String, RoomTally> entry) {
      RoomTally current = entry.getValue();
      if (current == null || current.version() != expectedVersion) {
        return null;
      }
      entry.setValue(recount.isEmpty() ? null : recount.atVersion(current.version() + 1));
      return current.occupancy();
    }
  }

  /** Rooms whose name sorts after a cursor (keyset paging), for use with the sorted key index's range. */
  record NameAfter(String after) implements com.hazelcast.query.Predicate<String, RoomTally> {
    @Override
    public boolean apply(Map.Entry<String, RoomTally> e) {
      return after == null || e.getKey().compareTo(after) > 0;
    }
  }

  /** Orders pages by room name. */
  static final class ByName implements java.util.Comparator<Map.Entry<String, RoomTally>>,
      java.io.Serializable {
    @Override
    public int compare(Map.Entry<String, RoomTally> a, Map.Entry<String, RoomTally> b) {
      return a.getKey().compareTo(b.getKey());
    }
  }
}
