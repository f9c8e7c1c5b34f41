package dev.presence.room;

/**
 * How many sessions and users are in one room, as readers see it ({@code joined}, {@code GET /rooms}, a room watch's
 * check): the counts of the room's stored {@link RoomOccupancyRecord}, without its users. Immutable.
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
}
