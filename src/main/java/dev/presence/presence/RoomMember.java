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
    return new RoomMember(slim(entry), membership == null ? null : membership.nick(),
        membership == null ? null : membership.meta());
  }

  /**
   * The entry without what watchers never see (its other rooms, with their meta, and its lease bookkeeping): every
   * verticle that watches a room keeps one per member, so the room views' heap is the members' visible fields only.
   */
  private static PresenceEntry slim(PresenceEntry e) {
    return new PresenceEntry(e.session(), e.user(), e.nick(), null, e.node(), e.connectedAt(), 0, 0, e.status(),
        e.heldUntil(), 0);
  }

  /** @return the session id */
  public String session() {
    return entry.session();
  }
}
