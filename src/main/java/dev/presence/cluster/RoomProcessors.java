package dev.presence.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyRecord;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomTally;
import java.util.Map;

/**
 * Entry processors on the occupancy map (room → {@link RoomOccupancyRecord}). Each runs atomically on the room's
 * partition thread (and again on the backup with the same inputs): the pure rules of {@link RoomOccupancyRecord}
 * applied to the stored record, so exactly one caller sees a room go from empty to occupied and one from occupied to
 * empty, and a place and its user's count change in one step. The map keeps its records as objects, so none of them
 * serializes a record: a change copies the record's user arrays, a read returns the counts only. No TTL: an empty
 * room's record is removed.
 */
final class RoomProcessors {

  private RoomProcessors() {
  }

  /** Takes a place for a session of {@code user} unless the room holds {@code maxMembers} sessions. */
  record Reserve(String user, int maxMembers)
      implements EntryProcessor<String, RoomOccupancyRecord, RoomAdmission> {
    @Override
    public RoomAdmission process(Map.Entry<String, RoomOccupancyRecord> entry) {
      RoomOccupancyRecord current = entry.getValue() == null
          ? RoomOccupancyRecord.empty(entry.getKey()) : entry.getValue();
      RoomOccupancyRecord next = current.admit(user, maxMembers);
      if (next == null) {
        return new RoomAdmission.Full(current.sessions());
      }
      entry.setValue(next);
      return new RoomAdmission.Admitted(next.occupancy(), current.isEmpty());
    }
  }

  /**
   * Gives a place of a session of {@code user} back; removes the record when the room becomes empty. A user the
   * record does not count (a drift) changes nothing.
   */
  record Release(String user) implements EntryProcessor<String, RoomOccupancyRecord, RoomRelease> {
    @Override
    public RoomRelease process(Map.Entry<String, RoomOccupancyRecord> entry) {
      RoomOccupancyRecord current = entry.getValue();
      if (current == null) {
        return new RoomRelease(RoomOccupancy.empty(entry.getKey()), false);
      }
      RoomOccupancyRecord next = current.release(user);
      if (next == current) {
        return new RoomRelease(current.occupancy(), false);
      }
      entry.setValue(next.isEmpty() ? null : next);
      return new RoomRelease(next.occupancy(), next.isEmpty());
    }
  }

  /**
   * Reads a room's counts, not its users: a read-only processor (no backup, no lock), for single and batched reads.
   * A plain {@code get} would serialize the whole record, every user of the room, to answer with three numbers.
   */
  static final class ReadCounts implements EntryProcessor<String, RoomOccupancyRecord, RoomOccupancy>, ReadOnly {
    static final ReadCounts INSTANCE = new ReadCounts();

    @Override
    public RoomOccupancy process(Map.Entry<String, RoomOccupancyRecord> entry) {
      return entry.getValue() == null ? null : entry.getValue().occupancy();
    }

    @Override
    public EntryProcessor<String, RoomOccupancyRecord, RoomOccupancy> getBackupProcessor() {
      return null; // a read changes nothing to back up
    }
  }

  /**
   * Overwrites the record with a recount from the presence entries (drift repair), counts and users in one step, if
   * it is still at the version the recount was compared with, moving the version on; returns the counts before, or
   * null if nothing was corrected (no record, or it changed meanwhile).
   */
  record Correct(RoomTally recount, long expectedVersion)
      implements EntryProcessor<String, RoomOccupancyRecord, RoomOccupancy> {
    @Override
    public RoomOccupancy process(Map.Entry<String, RoomOccupancyRecord> entry) {
      RoomOccupancyRecord current = entry.getValue();
      if (current == null || current.version() != expectedVersion) {
        return null;
      }
      entry.setValue(recount.isEmpty() ? null : RoomOccupancyRecord.of(recount, current.version() + 1));
      return current.occupancy();
    }
  }

  /** Rooms whose name sorts after a cursor (keyset paging), for use with the sorted key index's range. */
  record NameAfter(String after) implements com.hazelcast.query.Predicate<String, RoomOccupancyRecord> {
    @Override
    public boolean apply(Map.Entry<String, RoomOccupancyRecord> e) {
      return after == null || e.getKey().compareTo(after) > 0;
    }
  }

  /** Orders pages by room name. */
  static final class ByName implements java.util.Comparator<Map.Entry<String, RoomOccupancyRecord>>,
      java.io.Serializable {
    @Override
    public int compare(Map.Entry<String, RoomOccupancyRecord> a, Map.Entry<String, RoomOccupancyRecord> b) {
      return a.getKey().compareTo(b.getKey());
    }
  }
}
