package dev.presence.room;

/**
 * How many sessions and users are in one room, as readers see it: the counts of the stored {@link RoomTally}, without
 * its per-user map, so an answer about a 5,000-user room is as small as one about a 2-user room. Immutable.
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

  /** @return whether nobody is in the room */
  public boolean isEmpty() {
    return sessions == 0;
  }
}
