package dev.presence.presence;

import dev.presence.session.LeaveReason;

/**
 * The port to the cluster-wide broadcast channels: presence events for everyone, and eviction requests (and room
 * kicks) that only the node owning the session acts on. Delivery is best effort (the event bus may drop
 * messages around a member loss), so correctness never rests on one broadcast: leases, TTLs and the
 * stale-session sweep back it up. Callable from any Vert.x context.
 */
public interface PresenceChannel {

  /**
   * Publishes a presence change to every node.
   *
   * @param event the change
   */
  void publish(PresenceEvent event);

  /**
   * Asks whichever node owns the session to close it and clean up.
   *
   * @param session session id
   * @param reason  why
   */
  void requestEviction(String session, LeaveReason reason);

  /**
   * Asks whichever node owns the session to tell it it was kicked from a room ({@code left} with reason
   * {@code kicked}); the caller has already taken the membership out of the cluster. The session stays connected.
   *
   * @param session session id
   * @param room    the room it was kicked from
   * @param detail  the kick's reason text for the client, or {@code null}
   */
  void requestRoomKick(String session, String room, String detail);
}
