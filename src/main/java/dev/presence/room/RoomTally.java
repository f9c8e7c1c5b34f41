package dev.presence.room;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The stored record of one room's occupancy (the value of the cluster-wide map room → tally): its sessions per user,
 * so a room counts a user once however many sessions the user has there. The pure rules of a place taken
 * ({@link #admit}) and given back ({@link #release}); the store applies them atomically per room (an entry processor
 * on the room's partition thread) and answers with {@link #occupancy()}, the counts alone.
 *
 * <p>Immutable: every change makes a new tally (a copy of the per-user map, O(users in the room), some 100 µs for a
 * 5,000-user room). The map keeps its values as objects (Hazelcast's OBJECT in-memory format, so no change
 * deserializes and serializes the whole tally), and then Hazelcast hands its entry processors and its query threads
 * the stored object itself: one that never changes can be read by both at once.
 */
public final class RoomTally {

  private final String room;
  private final int sessions;
  private final Map<String, Integer> perUser;
  private final long version;

  /**
   * @param room     the room name
   * @param sessions sessions in the room (the sum of {@code perUser})
   * @param perUser  user → that user's sessions in the room (copied; zeros are dropped)
   * @param version  incremented by every change
   */
  public RoomTally(String room, int sessions, Map<String, Integer> perUser, long version) {
    this(room, sessions, positive(perUser), version, true);
  }

  private RoomTally(String room, int sessions, Map<String, Integer> owned, long version, boolean unused) {
    this.room = Objects.requireNonNull(room, "room");
    this.sessions = sessions;
    this.perUser = Collections.unmodifiableMap(owned);
    this.version = version;
  }

  private static Map<String, Integer> positive(Map<String, Integer> perUser) {
    Map<String, Integer> copy = new HashMap<>(perUser);
    copy.values().removeIf(n -> n == null || n <= 0);
    return copy;
  }

  /**
   * @param room a room name
   * @return the tally of a room nobody is in (the store keeps no record of it)
   */
  public static RoomTally empty(String room) {
    return new RoomTally(room, 0, new HashMap<>(), 0, true);
  }

  /**
   * A recount: the tally of a room whose sessions belong to these users (one element per session).
   *
   * @param room         the room name
   * @param sessionUsers the user of each session in the room
   * @return the tally at version 0 (the store sets the version when it writes it)
   */
  public static RoomTally ofSessions(String room, Collection<String> sessionUsers) {
    Map<String, Integer> perUser = new HashMap<>();
    sessionUsers.forEach(user -> perUser.merge(user, 1, Integer::sum));
    return new RoomTally(room, sessionUsers.size(), perUser, 0, true);
  }

  /** @return the room name */
  public String room() {
    return room;
  }

  /** @return sessions in the room */
  public int sessions() {
    return sessions;
  }

  /** @return the number of distinct users in the room */
  public int users() {
    return perUser.size();
  }

  /** @return user → that user's sessions in the room (unmodifiable, never a zero) */
  public Map<String, Integer> perUser() {
    return perUser;
  }

  /** @return incremented by every change */
  public long version() {
    return version;
  }

  /** @return whether nobody is in the room (the store removes the record) */
  public boolean isEmpty() {
    return sessions == 0;
  }

  /** @return the counts readers get */
  public RoomOccupancy occupancy() {
    return new RoomOccupancy(room, sessions, perUser.size(), version);
  }

  /**
   * A session of {@code user} takes a place.
   *
   * @param user       the session's user
   * @param maxMembers most sessions the room may hold ({@code PRESENCE_ROOM_MAX_MEMBERS})
   * @return the tally with one more session, or {@code null} if the room is full
   */
  public RoomTally admit(String user, int maxMembers) {
    if (sessions >= maxMembers) {
      return null;
    }
    Map<String, Integer> next = new HashMap<>(perUser);
    next.merge(user, 1, Integer::sum);
    return new RoomTally(room, sessions + 1, next, version + 1, true);
  }

  /**
   * A session of {@code user} gives its place back. Counts never go below zero: a release the tally did not see
   * admitted (a drift, docs/consistency.md) changes nothing for that user.
   *
   * @param user the session's user
   * @return the tally with one session fewer
   */
  public RoomTally release(String user) {
    if (!perUser.containsKey(user)) {
      return new RoomTally(room, sessions, new HashMap<>(perUser), version + 1, true);
    }
    Map<String, Integer> next = new HashMap<>(perUser);
    next.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    return new RoomTally(room, Math.max(0, sessions - 1), next, version + 1, true);
  }

  /**
   * @param newVersion the version to carry
   * @return this tally's counts at another version (a correction writes a recount on top of the stored version)
   */
  public RoomTally atVersion(long newVersion) {
    return new RoomTally(room, sessions, new HashMap<>(perUser), newVersion, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoomTally t && t.room.equals(room) && t.sessions == sessions && t.version == version
        && t.perUser.equals(perUser);
  }

  @Override
  public int hashCode() {
    return Objects.hash(room, sessions, perUser, version);
  }

  @Override
  public String toString() {
    return "RoomTally[" + room + ", sessions=" + sessions + ", users=" + perUser.size() + ", version=" + version + "]";
  }
}
