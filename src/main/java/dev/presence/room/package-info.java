/**
 * Rooms (issue #13): the room name rule, who may join or watch which rooms ({@link
 * dev.presence.room.RoomGrants}), a session's membership of one room, a room's occupancy counters and the port to
 * the cluster-wide occupancy map ({@link dev.presence.room.RoomOccupancyStore}).
 *
 * <p>Memberships themselves ride on the session's presence entry ({@code PresenceEntry.rooms}): they are renewed,
 * removed, expired and restored with it (docs/consistency.md, "Rooms"). This package holds no I/O except the port;
 * its records and rules are pure, immutable and thread-safe, and decide with values only (time is a parameter).
 */
package dev.presence.room;
