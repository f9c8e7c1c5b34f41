package dev.presence.room;

/**
 * The outcome of giving a place back ({@link RoomOccupancyStore#release}).
 *
 * @param occupancy  the room's occupancy after it (zero sessions when vacated)
 * @param vacatedNow whether this release moved the room from occupied to empty (its caller publishes
 *                   {@code room.vacated}, exactly once per transition)
 */
public record RoomRelease(RoomOccupancy occupancy, boolean vacatedNow) {
}
