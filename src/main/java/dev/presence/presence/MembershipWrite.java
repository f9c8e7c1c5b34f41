package dev.presence.presence;

/**
 * What writing a room membership on a session's presence entry did ({@link PresenceStore#joinRoom}). Travels as
 * its ordinal; append new values only.
 */
public enum MembershipWrite {
  /** The session was not in the room and is now. */
  ADDED,
  /** The session was in the room already: its meta was replaced, its join time kept. */
  UPDATED,
  /** The session is in {@code PRESENCE_MAX_ROOMS_PER_SESSION} rooms already; nothing changed. */
  ROOM_LIMIT,
  /** The session has no entry (it ended meanwhile); nothing changed. */
  NO_SESSION
}
