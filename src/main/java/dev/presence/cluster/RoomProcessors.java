package dev.presence.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomUserCounts;
import java.util.Map;

/**
 * Entry processors on the occupancy map (room → {@link RoomOccupancy}) and on the per-user session counts (room →
 * {@link RoomUserCounts}). Each runs atomically on its key's partition thread (and again on the backup with the same
 * inputs): the pure rules of {@link RoomOccupancy} and {@link RoomUserCounts} applied to the stored value, so exactly
 * one caller sees a room go from empty to occupied and one from occupied to empty. The occupancy processors are
 * O(1); the per-user ones copy the room's user arrays (its records are kept as objects, so nothing is serialized), a
 * few microseconds for 5,000 users. No TTL: an empty room's records are removed.
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

  /** One more session of {@code user} in the key's room; returns the user's sessions there after it. */
  record AddSession(String user) implements EntryProcessor<String, RoomUserCounts, Integer> {
    @Override
    public Integer process(Map.Entry<String, RoomUserCounts> entry) {
      RoomUserCounts next = (entry.getValue() == null ? RoomUserCounts.empty() : entry.getValue()).add(user);
      entry.setValue(next);
      return next.sessionsOf(user);
    }
  }

  /**
   * One session fewer of {@code user} in the key's room; returns the user's sessions there after it (0: the user left
   * the room; the record is removed with its last user), or -1 if there was no count to lower (a drift).
   */
  record RemoveSession(String user) implements EntryProcessor<String, RoomUserCounts, Integer> {
    @Override
    public Integer process(Map.Entry<String, RoomUserCounts> entry) {
      RoomUserCounts current = entry.getValue();
      if (current == null || current.sessionsOf(user) == 0) {
        return -1;
      }
      RoomUserCounts next = current.remove(user);
      entry.setValue(next.isEmpty() ? null : next);
      return next.sessionsOf(user);
    }
  }

  /** Replaces the key's room's user counts with a recount's (removes the record for an empty one). */
  record ReplaceCounts(Map<String, Integer> perUser) implements EntryProcessor<String, RoomUserCounts, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, RoomUserCounts> entry) {
      entry.setValue(perUser.isEmpty() ? null : RoomUserCounts.of(perUser));
      return Boolean.TRUE;
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
