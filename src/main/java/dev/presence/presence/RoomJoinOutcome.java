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
   * @param nick     the room nickname this join claimed (display form), or {@code null}
   * @param key      its key, or {@code null}
   * @param fencingToken its lease's fencing token, 0 without a nickname
   */
  record Joined(String room, int sessions, int users, boolean added, String nick, String key, long fencingToken)
      implements RoomJoinOutcome {

    /** Joined without a room nickname. */
    public Joined(String room, int sessions, int users, boolean added) {
      this(room, sessions, users, added, null, null, 0);
    }

    /**
     * @param claimed the nickname claimed with the join
     * @return this outcome with it
     */
    public Joined withNick(NickChange.Claimed claimed) {
      return new Joined(room, sessions, users, added, claimed.nick(), claimed.key(), claimed.fencingToken());
    }
  }

  /**
   * The join was refused; nothing changed.
   *
   * @param code    the error code the client gets: {@code room_full}, {@code room_limit}, {@code nick_taken},
   *                {@code unavailable}
   * @param message what the client is told
   */
  record Refused(String code, String message) implements RoomJoinOutcome {
  }
}
