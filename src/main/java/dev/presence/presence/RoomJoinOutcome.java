package dev.presence.presence;

/** What a {@code join} of a room came to ({@link RoomMemberships#join}). */
public sealed interface RoomJoinOutcome {

  /**
   * The session is in the room (newly, or already and its meta replaced).
   *
   * @param room     the room
   * @param sessions sessions in the room as the counters said right after the join
   * @param users    distinct users in the room, likewise
   * @param added    false if the session was in the room already (a repeated {@code join})
   */
  record Joined(String room, int sessions, int users, boolean added) implements RoomJoinOutcome {
  }

  /**
   * The join was refused; nothing changed.
   *
   * @param code    the error code the client gets: {@code room_full}, {@code room_limit}
   * @param message what the client is told
   */
  record Refused(String code, String message) implements RoomJoinOutcome {
  }
}
