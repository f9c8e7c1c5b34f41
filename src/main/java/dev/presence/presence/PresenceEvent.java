package dev.presence.presence;

/**
 * A presence change published cluster-wide on {@code presence.events}. Immutable.
 *
 * @param event   {@code join}, {@code leave} or {@code nick}
 * @param session session id
 * @param user    user
 * @param nick    the nickname after the change, or {@code null}
 * @param node    owning node id
 * @param reason  wire name of the {@link LeaveReason} for a leave, {@code null} otherwise
 * @param at      epoch ms of the change
 * @param lastHeartbeat for a leave, epoch ms when the owner last confirmed the session alive (its last batched
 *                renewal, or the hello time); {@code at - lastHeartbeat} bounds how long the cluster showed a
 *                session that may already have been dead (the ghost window). 0 for other events
 */
public record PresenceEvent(String event, String session, String user, String nick, String node, String reason,
    long at, long lastHeartbeat) {

  /** @return a join event for the entry */
  public static PresenceEvent join(PresenceEntry e, long at) {
    return new PresenceEvent("join", e.session(), e.user(), e.nick(), e.node(), null, at, 0);
  }

  /** @return a leave event for the entry */
  public static PresenceEvent leave(PresenceEntry e, LeaveReason reason, long at) {
    return new PresenceEvent("leave", e.session(), e.user(), e.nick(), e.node(), reason.wireName(), at,
        e.lastHeartbeat());
  }

  /** @return a nickname change event */
  public static PresenceEvent nick(String session, String user, String nick, String node, long at) {
    return new PresenceEvent("nick", session, user, nick, node, null, at, 0);
  }
}
