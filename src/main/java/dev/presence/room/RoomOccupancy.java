package dev.presence.room;

/**
 * How many sessions and users are in one room: the value of the cluster-wide occupancy map (room → occupancy), and
 * the pure rules of a place taken ({@link #admit}) and given back ({@link #release}); the store applies them
 * atomically per room (an entry processor on the room's partition thread). Whether a session's user is new to the
 * room, or leaves it with this session, is decided beside it, by the room's per-user session counts
 * ({@link RoomUserCounts}, a record of their own on the same partition), so this record stays three numbers.
 * Immutable.
 *
 * @param room     the room name
 * @param sessions sessions in the room
 * @param users    distinct users in the room
 * @param version  incremented by every change: a reader tells two counts of the same room apart by it
 */
public record RoomOccupancy(String room, int sessions, int users, long version) {

  /**
   * @param room a room name
   * @return the occupancy of a room nobody is in (the store keeps no record of it)
   */
  public static RoomOccupancy empty(String room) {
    return new RoomOccupancy(room, 0, 0, 0);
  }

  /** @return whether nobody is in the room (the store removes the record) */
  public boolean isEmpty() {
    return sessions == 0;
  }

  /**
   * A session takes a place.
   *
   * @param newUser    whether it is its user's first session in the room
   * @param maxMembers most sessions the room may hold ({@code PRESENCE_ROOM_MAX_MEMBERS})
   * @return the occupancy with one more session, or {@code null} if the room is full
   */
  public RoomOccupancy admit(boolean newUser, int maxMembers) {
    if (sessions >= maxMembers) {
      return null;
    }
    return new RoomOccupancy(room, sessions + 1, users + (newUser ? 1 : 0), version + 1);
  }

  /**
   * A session gives its place back. Counts never go below zero: a drift (docs/consistency.md) is repaired by the
   * recount, not made worse here.
   *
   * @param userLeft whether it was its user's last session in the room
   * @return the occupancy with one session fewer
   */
  public RoomOccupancy release(boolean userLeft) {
    return new RoomOccupancy(room, Math.max(0, sessions - 1), Math.max(0, users - (userLeft ? 1 : 0)), version + 1);
  }
}
