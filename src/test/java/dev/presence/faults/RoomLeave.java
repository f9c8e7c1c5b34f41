package dev.presence.faults;

/**
 * A member's removal from a room, as one room watcher saw it (a {@code presence.diff} leave, or a fresh
 * {@code presence.state} that no longer listed it).
 *
 * @param watcherPort HTTP port of the node the watcher is connected to
 * @param room        the room
 * @param session     the member's session id
 * @param reason      the leave's reason (docs/protocol.md §12.1), {@code "snapshot"} for a snapshot that dropped it
 * @param at          epoch ms the watcher received it
 */
public record RoomLeave(int watcherPort, String room, String session, String reason, long at) {
}
