/**
 * Presence: entries, events and leave reasons; the {@link dev.presence.presence.PresenceStore},
 * {@link dev.presence.presence.SessionSlotStore} (per-user session count, pure rules in
 * {@link dev.presence.presence.UserSessionSlots}) and {@link dev.presence.presence.PresenceChannel} ports; the session-level service (join, nickname
 * claim/release, leave, who); and the stale-session sweeper that also evicts a lost member's sessions.
 *
 * <p>Threading: services are stateless and called from Vert.x event loops; futures complete on the
 * caller's loop (the ports guarantee it). The maintenance verticle runs the sweeper on its own loop.
 */
package dev.presence.presence;
