package dev.presence.transport;

import dev.presence.room.RoomMembership;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The rooms one connection's session is in and the rooms it watches, as its requests left them: answers a repeated
 * {@code join}, the room and watch limits and "watched already" without a cluster call, and a restore writes the
 * memberships back.
 *
 * <p>Why not a map and a set: a session is in a few rooms (at most {@code PRESENCE_MAX_ROOMS_PER_SESSION}). A
 * {@code HashMap} of memberships plus a {@code HashSet} of watched rooms cost about 460 bytes for a session in three
 * rooms that it watches (two hash maps, their 16-bucket tables, six nodes, the set's wrapper; compressed oops), and the
 * load test with 19,000 sessions in three rooms each measured ~1,390 B per room membership in all against issue #13's
 * goal of at most 1 KB. Here one slot per room holds its name, its membership ({@code null} where the session only
 * watches it) and a watched flag, in three parallel arrays: 128 bytes for those three rooms, 40 for none. Lookups
 * scan linearly: a few string compares for the usual few rooms, and only requests naming a room scan, so even a
 * session at the limit of 1,000 rooms pays a scan per request, not per event. Slots keep the order in which their
 * rooms came; a slot goes when its room is neither joined nor watched, and the arrays go with the last slot.
 *
 * <p>Threading: confined to the connection's event loop, like the {@link SessionFacts} that hold it; not thread-safe.
 */
final class ConnectionRooms {

  private static final String[] NO_NAMES = {};
  private static final RoomMembership[] NO_MEMBERSHIPS = {};
  private static final boolean[] NO_FLAGS = {};
  /** First capacity: a session in one or two rooms (the common case) never grows past it. */
  private static final int FIRST_CAPACITY = 2;

  // Slot i is a room in names[i]; slots 0..used-1 are taken, the rest null/false (so nothing stale stays reachable).
  private String[] names = NO_NAMES;
  /** The session's membership of names[i], or {@code null} where it only watches that room. */
  private RoomMembership[] memberships = NO_MEMBERSHIPS;
  /** Whether the session watches names[i]. */
  private boolean[] watchedFlags = NO_FLAGS;
  /** Slots taken. */
  private int used;
  /** Slots with a membership: read for the room limit and, each renewal, for every session's membership count. */
  private int joined;
  /** Slots watched: read for the watch limit. */
  private int watching;

  /**
   * @param room the room
   * @return the session's membership of it, or {@code null} if it is not in the room
   */
  RoomMembership membership(String room) {
    int slot = slotOf(room);
    return slot < 0 ? null : memberships[slot];
  }

  /**
   * @param room the room
   * @return whether the session is in the room (watching it alone does not count)
   */
  boolean isIn(String room) {
    return membership(room) != null;
  }

  /**
   * Records the session's membership of a room: a first join, or a repeated one (or a nickname change) replacing
   * the one recorded. A watch of the room is kept either way.
   *
   * @param room       the room
   * @param membership its membership
   * @return the membership it replaced, or {@code null} if the session was not in the room
   */
  RoomMembership join(String room, RoomMembership membership) {
    Objects.requireNonNull(membership, "membership");
    int slot = slotOf(room);
    if (slot < 0) {
      slot = addSlot(room);
    }
    RoomMembership before = memberships[slot];
    memberships[slot] = membership;
    if (before == null) {
      joined++;
    }
    return before;
  }

  /**
   * Records every membership of a map (a resumed session's, from its presence entry), as {@link #join} each.
   *
   * @param rooms room name → membership
   */
  void joinAll(Map<String, RoomMembership> rooms) {
    rooms.forEach(this::join);
  }

  /**
   * Changes the session's membership of a room only if it is still in it: a nickname change's answer may arrive after
   * a kick or a leave took the room out, and must not bring it back.
   *
   * @param room   the room
   * @param change the new membership from the old one (never {@code null})
   * @return the new membership, or {@code null} if the session is not in the room (nothing changed)
   */
  RoomMembership replace(String room, UnaryOperator<RoomMembership> change) {
    int slot = slotOf(room);
    if (slot < 0 || memberships[slot] == null) {
      return null;
    }
    RoomMembership now = Objects.requireNonNull(change.apply(memberships[slot]), "changed membership");
    memberships[slot] = now;
    return now;
  }

  /**
   * Forgets the session's membership of a room. A watch of the room stays (the caller ends it if it must).
   *
   * @param room the room
   * @return the membership forgotten, or {@code null} if the session was not in the room
   */
  RoomMembership leave(String room) {
    int slot = slotOf(room);
    if (slot < 0 || memberships[slot] == null) {
      return null;
    }
    RoomMembership before = memberships[slot];
    memberships[slot] = null;
    joined--;
    removeIfUnused(slot);
    return before;
  }

  /** @return how many rooms the session is in */
  int joinedCount() {
    return joined;
  }

  /**
   * @param room the room
   * @return whether the session watches the room
   */
  boolean isWatched(String room) {
    int slot = slotOf(room);
    return slot >= 0 && watchedFlags[slot];
  }

  /**
   * @param room the room
   * @return whether the room was not watched before (a room watched already stays so)
   */
  boolean watch(String room) {
    int slot = slotOf(room);
    if (slot < 0) {
      slot = addSlot(room);
    }
    if (watchedFlags[slot]) {
      return false;
    }
    watchedFlags[slot] = true;
    watching++;
    return true;
  }

  /**
   * Forgets the session's watch of a room. A membership of the room stays.
   *
   * @param room the room
   * @return whether the room was watched
   */
  boolean unwatch(String room) {
    int slot = slotOf(room);
    if (slot < 0 || !watchedFlags[slot]) {
      return false;
    }
    watchedFlags[slot] = false;
    watching--;
    removeIfUnused(slot);
    return true;
  }

  /** @return how many rooms the session watches */
  int watchedCount() {
    return watching;
  }

  /**
   * @return the rooms the session watches (a copy: the caller may hand it to another context, e.g. to end the watches
   *     when the connection closes, while this one changes)
   */
  List<String> watchedRooms() {
    String[] rooms = new String[watching];
    int n = 0;
    for (int i = 0; i < used; i++) {
      if (watchedFlags[i]) {
        rooms[n++] = names[i];
      }
    }
    return List.of(rooms);
  }

  /**
   * Calls back once per room the session is in, in the order the rooms came. The action must not change this.
   *
   * @param action room name, membership
   */
  void forEachMembership(BiConsumer<String, RoomMembership> action) {
    for (int i = 0; i < used; i++) {
      if (memberships[i] != null) {
        action.accept(names[i], memberships[i]);
      }
    }
  }

  /**
   * @return room name → membership for each room the session is in: an immutable copy, for the calls that take a map
   *     (a restore writes it into the presence entry, whose {@code Map.copyOf} then takes it as it is)
   */
  Map<String, RoomMembership> membershipsAsMap() {
    @SuppressWarnings("unchecked")
    Map.Entry<String, RoomMembership>[] entries = new Map.Entry[joined];
    int n = 0;
    for (int i = 0; i < used; i++) {
      if (memberships[i] != null) {
        entries[n++] = Map.entry(names[i], memberships[i]);
      }
    }
    return Map.ofEntries(entries);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ConnectionRooms[");
    for (int i = 0; i < used; i++) {
      s.append(i == 0 ? "" : ", ").append(names[i]).append(memberships[i] != null ? " joined" : "")
          .append(watchedFlags[i] ? " watched" : "");
    }
    return s.append(']').toString();
  }

  private int slotOf(String room) {
    Objects.requireNonNull(room, "room");
    for (int i = 0; i < used; i++) {
      if (room.equals(names[i])) {
        return i;
      }
    }
    return -1;
  }

  /** @return a new slot for the room, neither joined nor watched yet (the caller sets one) */
  private int addSlot(String room) {
    if (used == names.length) {
      // Grows by half: a session joining its 1,000 rooms one by one copies about 3,000 slots in all, not 500,000.
      resize(Math.max(FIRST_CAPACITY, used + (used >> 1)));
    }
    names[used] = room;
    return used++;
  }

  /** Removes the slot if its room is neither joined nor watched any more; later slots move down one (order kept). */
  private void removeIfUnused(int slot) {
    if (memberships[slot] != null || watchedFlags[slot]) {
      return;
    }
    int after = used - slot - 1;
    System.arraycopy(names, slot + 1, names, slot, after);
    System.arraycopy(memberships, slot + 1, memberships, slot, after);
    System.arraycopy(watchedFlags, slot + 1, watchedFlags, slot, after);
    used--;
    names[used] = null;
    memberships[used] = null;
    watchedFlags[used] = false;
    if (used == 0) {
      // A session that left its last room holds no arrays at all (most sessions in a rooms-heavy run come and go).
      names = NO_NAMES;
      memberships = NO_MEMBERSHIPS;
      watchedFlags = NO_FLAGS;
    } else if (used <= names.length / 4 && names.length > 8) {
      // One that left most of many rooms gives the room back: 1,000 slots would otherwise stay for its lifetime.
      resize(used * 2);
    }
  }

  private void resize(int capacity) {
    names = Arrays.copyOf(names, capacity);
    memberships = Arrays.copyOf(memberships, capacity);
    watchedFlags = Arrays.copyOf(watchedFlags, capacity);
  }
}
