package dev.presence.room;

/** The outcome of taking a place in a room ({@link RoomOccupancyStore#reserve}). */
public sealed interface RoomAdmission {

  /**
   * The place is taken.
   *
   * @param occupancy  the room's occupancy after it
   * @param occupiedNow whether this place moved the room from empty to occupied (its taker publishes
   *                    {@code room.occupied}, exactly once per transition)
   */
  record Admitted(RoomOccupancy occupancy, boolean occupiedNow) implements RoomAdmission {
  }

  /**
   * The room already holds {@code PRESENCE_ROOM_MAX_MEMBERS} sessions; nothing changed.
   *
   * @param sessions the sessions it holds
   */
  record Full(int sessions) implements RoomAdmission {
  }
}
