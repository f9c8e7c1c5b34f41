package dev.presence.presence;

import dev.presence.session.LeaveReason;

/**
 * A presence change published cluster-wide on {@code presence.events}. Immutable.
 *
 * @param event   {@code join}, {@code leave}, {@code nick}, {@code status}, {@code suspect} (a resumable session
 *                disconnected abnormally and is held for its grace period) or {@code resumed} (its client came
 *                back, maybe on another node: {@code node} is the new owner); room changes (docs/event-bus.md):
 *                {@code room.join}, {@code room.leave} (a session joined or left {@code room}), {@code room.occupied}
 *                and {@code room.vacated} (the room's first session arrived, its last left: no session or user)
 * @param session session id
 * @param user    user
 * @param nick    the nickname after the change, or {@code null}
 * @param node    owning node id
 * @param reason  wire name of the {@link LeaveReason} for a leave, {@code null} otherwise
 * @param at      epoch ms of the change
 * @param lastRenewedAt for a leave, epoch ms when the owner last confirmed the session alive (its last batched
 *                renewal, or the hello time); {@code at - lastRenewedAt} bounds how long the cluster showed a
 *                session that may already have been dead (the ghost window). 0 for other events
 * @param status  the session's status after a join or status change; {@code null} for leave and nick events
 * @param room    the room of a room change, {@code null} for every other event
 * @param roomNick the member's room nickname after a {@code room.join} or {@code room.update}, else {@code null}
 * @param roomMeta the member's room meta (JSON object text) after a {@code room.join} or {@code room.update}, else
 *                 {@code null}
 * @param since    for a {@code room.join}, epoch ms when the session connected (what a room snapshot shows as its
 *                 {@code since}, so a diff's join and a snapshot agree); 0 for every other event
 */
public record PresenceEvent(String event, String session, String user, String nick, String node, String reason,
    long at, long lastRenewedAt, SessionStatus status, String room, String roomNick, String roomMeta, long since) {

  /** A change with a room's membership detail and no {@code since} (every event but {@code room.join}). */
  public PresenceEvent(String event, String session, String user, String nick, String node, String reason, long at,
      long lastRenewedAt, SessionStatus status, String room, String roomNick, String roomMeta) {
    this(event, session, user, nick, node, reason, at, lastRenewedAt, status, room, roomNick, roomMeta, 0);
  }

  /** Kind of {@link #roomJoin}. */
  public static final String ROOM_JOIN = "room.join";
  /** Kind of {@link #roomLeave}. */
  public static final String ROOM_LEAVE = "room.leave";
  /** Kind of {@link #roomOccupied}. */
  public static final String ROOM_OCCUPIED = "room.occupied";
  /** Kind of {@link #roomVacated}. */
  public static final String ROOM_VACATED = "room.vacated";
  /** Kind of {@link #roomUpdate}. */
  public static final String ROOM_UPDATE = "room.update";
  /** The {@code reason} of a {@code room.leave} the session asked for ({@code leave}). */
  public static final String LEFT = "left";

  /** A change of the global view (no room). */
  public PresenceEvent(String event, String session, String user, String nick, String node, String reason, long at,
      long lastRenewedAt, SessionStatus status) {
    this(event, session, user, nick, node, reason, at, lastRenewedAt, status, null);
  }

  /** A change with a room and no membership detail ({@code room.leave}, occupancy changes, tests). */
  public PresenceEvent(String event, String session, String user, String nick, String node, String reason, long at,
      long lastRenewedAt, SessionStatus status, String room) {
    this(event, session, user, nick, node, reason, at, lastRenewedAt, status, room, null, null);
  }

  /** @return whether this is a room change (the global view ignores those) */
  public boolean isRoomEvent() {
    return room != null;
  }

  /**
   * @param e    the session's entry
   * @param room the room it joined
   * @param at   epoch ms
   * @return a {@code room.join} event
   */
  public static PresenceEvent roomJoin(PresenceEntry e, String room, long at) {
    dev.presence.room.RoomMembership m = e.rooms().get(room);
    return new PresenceEvent(ROOM_JOIN, e.session(), e.user(), e.nick(), e.node(), null, at, 0, null, room,
        m == null ? null : m.nick(), m == null ? null : m.meta(), e.connectedAt());
  }

  /**
   * @param e    the session's entry (session, user, nick, node)
   * @param room the room
   * @param m    the membership after the change (its room nickname and meta)
   * @param at   epoch ms
   * @return a {@code room.update} event: the member's room nickname or meta changed
   */
  public static PresenceEvent roomUpdate(PresenceEntry e, String room, dev.presence.room.RoomMembership m, long at) {
    return new PresenceEvent(ROOM_UPDATE, e.session(), e.user(), e.nick(), e.node(), null, at, 0, null, room,
        m.nick(), m.meta());
  }

  /**
   * @param e      the session's entry as it was in the room
   * @param room   the room it left
   * @param reason {@link #LEFT} for a {@code leave}, {@code kicked} for a kick from the room, else the wire name of
   *               the session's leave reason
   * @param at     epoch ms
   * @return a {@code room.leave} event
   */
  public static PresenceEvent roomLeave(PresenceEntry e, String room, String reason, long at) {
    return new PresenceEvent(ROOM_LEAVE, e.session(), e.user(), e.nick(), e.node(), reason, at, 0, null, room);
  }

  /**
   * @param room the room whose first session arrived
   * @param node the node that published it
   * @param at   epoch ms
   * @return a {@code room.occupied} event (no session)
   */
  public static PresenceEvent roomOccupied(String room, String node, long at) {
    return new PresenceEvent(ROOM_OCCUPIED, null, null, null, node, null, at, 0, null, room);
  }

  /**
   * @param room the room whose last session left
   * @param node the node that published it
   * @param at   epoch ms
   * @return a {@code room.vacated} event (no session)
   */
  public static PresenceEvent roomVacated(String room, String node, long at) {
    return new PresenceEvent(ROOM_VACATED, null, null, null, node, null, at, 0, null, room);
  }

  /** @return a join event for the entry */
  public static PresenceEvent join(PresenceEntry e, long at) {
    return new PresenceEvent("join", e.session(), e.user(), e.nick(), e.node(), null, at, 0, e.status());
  }

  /** @return a leave event for the entry */
  public static PresenceEvent leave(PresenceEntry e, LeaveReason reason, long at) {
    return new PresenceEvent("leave", e.session(), e.user(), e.nick(), e.node(), reason.wireName(), at,
        e.lastRenewedAt(), null);
  }

  /** @return a nickname change event */
  public static PresenceEvent nick(String session, String user, String nick, String node, long at) {
    return new PresenceEvent("nick", session, user, nick, node, null, at, 0, null);
  }

  /** @return a resumable session held for resume after an abnormal disconnect ({@code reason} says which) */
  public static PresenceEvent suspect(PresenceEntry e, LeaveReason reason, long at) {
    return new PresenceEvent("suspect", e.session(), e.user(), e.nick(), e.node(), reason.wireName(), at,
        e.lastRenewedAt(), null);
  }

  /** @return a held session resumed by its client; {@code node} is the node it resumed on */
  public static PresenceEvent resumed(PresenceEntry e, long at) {
    return new PresenceEvent("resumed", e.session(), e.user(), e.nick(), e.node(), null, at, 0, e.status());
  }

  /** @return a status change (availability, meta or idle) of the entry, as it is after the change */
  public static PresenceEvent status(PresenceEntry e, long at) {
    return new PresenceEvent("status", e.session(), e.user(), e.nick(), e.node(), null, at, 0, e.status());
  }
}
