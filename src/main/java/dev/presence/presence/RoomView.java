package dev.presence.presence;

/**
 * One page of a room's members, with the room's counts ({@code GET /rooms/{room}}, {@code presence.query} by room).
 *
 * @param room     the room
 * @param sessions sessions in the room, as its occupancy counters say (0 when nobody is in it)
 * @param users    distinct users in the room, likewise
 * @param members  the sessions of this page, read from the room index (each entry's {@code rooms} holds this room)
 */
public record RoomView(String room, int sessions, int users, PresencePage members) {
}
