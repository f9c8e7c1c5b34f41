package dev.presence.room;

import java.util.List;

/**
 * One page of occupied rooms, ordered by name.
 *
 * @param rooms the rooms on this page
 * @param next  the cursor for the next page (the last name shown), or {@code null} if this is the last page
 */
public record RoomPage(List<RoomOccupancy> rooms, String next) {

  /** Copies {@code rooms}. */
  public RoomPage {
    rooms = List.copyOf(rooms);
  }
}
