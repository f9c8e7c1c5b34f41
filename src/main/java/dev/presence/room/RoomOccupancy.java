package dev.presence.room;

import java.util.HashMap;
import java.util.Map;

/**
 * How many sessions and users are in one room: the value of the cluster-wide occupancy map (room → occupancy).
 * The pure rules of a place taken ({@link #admit}) and given back ({@link #release}); the store applies them
 * atomically per room (an entry processor on the room's partition thread). Immutable.
 *
 * @param room     the room name
 * @param sessions sessions in the room (the sum of {@code perUser})
 * @param perUser  user → that user's sessions in the room (so the user count is its size); never holds a zero
 * @param version  incremented by every change: a reader tells two counts of the same room apart by it
 */
public record RoomOccupancy(String room, int sessions, Map<String, Integer> perUser, long version) {

  /** Copies {@code perUser}. */
  public RoomOccupancy {
    perUser = Map.copyOf(perUser);
  }

  /**
   * @param room a room name
   * @return the occupancy of a room nobody is in (the store keeps no record of it)
   */
  public static RoomOccupancy empty(String room) {
    return new RoomOccupancy(room, 0, Map.of(), 0);
  }

  /** @return the number of distinct users in the room */
  public int users() {
    return perUser.size();
  }

  /**
   * A session of {@code user} takes a place.
   *
   * @param user       the session's user
   * @param maxMembers most sessions the room may hold ({@code PRESENCE_ROOM_MAX_MEMBERS})
   * @return the occupancy with one more session, or {@code null} if the room is full
   */
  public RoomOccupancy admit(String user, int maxMembers) {
    if (sessions >= maxMembers) {
      return null;
    }
    Map<String, Integer> next = new HashMap<>(perUser);
    next.merge(user, 1, Integer::sum);
    return new RoomOccupancy(room, sessions + 1, next, version + 1);
  }

  /**
   * A session of {@code user} gives its place back. Counts never go below zero: a release the counters did not
   * see admitted (a drift, docs/consistency.md) changes nothing for that user.
   *
   * @param user the session's user
   * @return the occupancy with one session fewer
   */
  public RoomOccupancy release(String user) {
    Map<String, Integer> next = new HashMap<>(perUser);
    boolean counted = next.containsKey(user);
    next.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    return new RoomOccupancy(room, counted ? Math.max(0, sessions - 1) : sessions, next, version + 1);
  }

  /** @return whether nobody is in the room (the store removes the record) */
  public boolean isEmpty() {
    return sessions == 0;
  }
}
