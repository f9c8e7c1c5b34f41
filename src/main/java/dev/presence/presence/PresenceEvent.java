package dev.presence.presence;

import dev.presence.session.LeaveReason;

/**
 * A presence change published cluster-wide on {@code presence.events}. Immutable.
 *
 * @param event   {@code join}, {@code leave}, {@code nick}, {@code status}, {@code suspect} (a resumable session
 *                disconnected abnormally and is held for its grace period) or {@code resumed} (its client came
 *                back, maybe on another node: {@code node} is the new owner)
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
 */
public record PresenceEvent(String event, String session, String user, String nick, String node, String reason,
    long at, long lastRenewedAt, SessionStatus status) {

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
