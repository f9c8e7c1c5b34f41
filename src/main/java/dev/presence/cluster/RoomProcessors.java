package dev.presence.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomRelease;
import java.util.Map;

/**
 * Entry processors on the occupancy map (room → {@link RoomOccupancy}) and on the per-user session counts ({@link
 * RoomUserKey} → sessions). Each runs atomically on its key's partition thread (and again on the backup with the same
 * inputs): the pure rules of {@link RoomOccupancy} applied to the stored value, so exactly one caller sees a room go
 * from empty to occupied and one from occupied to empty. Every one is O(1): none reads or writes a room's users as a
 * whole. No TTL: an empty room's record, and a zero count, are removed.
 */
final class RoomProcessors {

  private RoomProcessors() {
  }

  /** Takes a place for a session unless the room holds {@code maxMembers} sessions. */
  record Reserve(boolean newUser, int maxMembers) implements EntryProcessor<String, RoomOccupancy, RoomAdmission> {
    @Override
    public RoomAdmission process(Map.Entry<String, RoomOccupancy> entry) {
      RoomOccupancy current = entry.getValue() == null ? RoomOccupancy.empty(entry.getKey()) : entry.getValue();
      RoomOccupancy next = current.admit(newUser, maxMembers);
      if (next == null) {
        return new RoomAdmission.Full(current.sessions());
      }
      entry.setValue(next);
      return new RoomAdmission.Admitted(next, current.isEmpty());
    }
  }

  /**
   * Gives a session's place back; removes the record when the room becomes empty. A release the per-user counts had
   * not seen admitted ({@code counted} false: a drift) changes nothing.
   */
  record Release(boolean counted, boolean userLeft) implements EntryProcessor<String, RoomOccupancy, RoomRelease> {
    @Override
    public RoomRelease process(Map.Entry<String, RoomOccupancy> entry) {
      RoomOccupancy current = entry.getValue();
      if (current == null) {
        return new RoomRelease(RoomOccupancy.empty(entry.getKey()), false);
      }
      if (!counted) {
        return new RoomRelease(current, false);
      }
      RoomOccupancy next = current.release(userLeft);
      entry.setValue(next.isEmpty() ? null : next);
      return new RoomRelease(next, next.isEmpty());
    }
  }

  /** Reads a room's counts: a read-only processor (no backup, no lock), for the batched read of many rooms. */
  static final class ReadCounts implements EntryProcessor<String, RoomOccupancy, RoomOccupancy>, ReadOnly {
    static final ReadCounts INSTANCE = new ReadCounts();

    @Override
    public RoomOccupancy process(Map.Entry<String, RoomOccupancy> entry) {
      return entry.getValue();
    }

    @Override
    public EntryProcessor<String, RoomOccupancy, RoomOccupancy> getBackupProcessor() {
      return null; // a read changes nothing to back up
    }
  }

  /**
   * Overwrites the counts with a recount from the presence entries (drift repair) if the record is still at the
   * version the recount was compared with, moving the version on; returns the counts before, or null if nothing was
   * corrected (no record, or it changed meanwhile).
   */
  record Correct(int sessions, int users, long expectedVersion)
      implements EntryProcessor<String, RoomOccupancy, RoomOccupancy> {
    @Override
    public RoomOccupancy process(Map.Entry<String, RoomOccupancy> entry) {
      RoomOccupancy current = entry.getValue();
      if (current == null || current.version() != expectedVersion) {
        return null;
      }
      entry.setValue(sessions == 0 ? null
          : new RoomOccupancy(entry.getKey(), sessions, users, current.version() + 1));
      return current;
    }
  }

  /** One more session of the key's user in the key's room; returns the user's sessions there after it. */
  static final class AddSession implements EntryProcessor<RoomUserKey, Integer, Integer> {
    static final AddSession INSTANCE = new AddSession();

    @Override
    public Integer process(Map.Entry<RoomUserKey, Integer> entry) {
      int next = (entry.getValue() == null ? 0 : entry.getValue()) + 1;
      entry.setValue(next);
      return next;
    }
  }

  /**
   * One session fewer of the key's user in the key's room; returns the user's sessions there after it (0: the user
   * left the room, the entry is removed), or -1 if there was no count to lower (a drift).
   */
  static final class RemoveSession implements EntryProcessor<RoomUserKey, Integer, Integer> {
    static final RemoveSession INSTANCE = new RemoveSession();

    @Override
    public Integer process(Map.Entry<RoomUserKey, Integer> entry) {
      Integer current = entry.getValue();
      if (current == null || current <= 0) {
        return -1;
      }
      entry.setValue(current == 1 ? null : current - 1);
      return current - 1;
    }
  }

  /** Removes every per-user count it is run on (the recount's rewrite of one room's counts). */
  static final class DropCount implements EntryProcessor<RoomUserKey, Integer, Boolean> {
    static final DropCount INSTANCE = new DropCount();

    @Override
    public Boolean process(Map.Entry<RoomUserKey, Integer> entry) {
      entry.setValue(null);
      return Boolean.TRUE;
    }
  }

  /** The per-user counts of one room (used within the room's partition). */
  record CountsOfRoom(String room) implements com.hazelcast.query.Predicate<RoomUserKey, Integer> {
    @Override
    public boolean apply(Map.Entry<RoomUserKey, Integer> e) {
      return e.getKey().room().equals(room);
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
