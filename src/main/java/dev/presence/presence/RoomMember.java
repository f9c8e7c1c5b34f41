package dev.presence.presence;

import dev.presence.room.RoomMembership;

/**
 * A session as a room's watchers see it: its presence entry (user, nickname, node, status) and its membership's
 * room nickname and meta. Immutable.
 *
 * @param entry    the session's presence entry (its {@code rooms} are not read)
 * @param roomNick the room nickname's display form, or {@code null}
 * @param roomMeta the membership's meta (JSON object text), or {@code null}
 */
public record RoomMember(PresenceEntry entry, String roomNick, String roomMeta) {

  /**
   * @param entry an entry read from the room index
   * @param room  the room it is in
   * @return the member as that entry's membership describes it
   */
  public static RoomMember of(PresenceEntry entry, String room) {
    RoomMembership membership = entry.rooms().get(room);
    return new RoomMember(entry, membership == null ? null : membership.nick(),
        membership == null ? null : membership.meta());
  }

  /** @return the session id */
  public String session() {
    return entry.session();
  }
}
