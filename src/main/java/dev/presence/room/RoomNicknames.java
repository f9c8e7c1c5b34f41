package dev.presence.room;

/**
 * Where a room nickname's lease lives (docs/consistency.md, "Room nicknames"): in the same cluster map as global
 * nicknames, under a key that names the room, so every rule of a nickname lease (atomic claim, grace, same-user
 * takeover, fencing token, the quorum, the merge rule) applies to it unchanged, and a room nickname never collides
 * with a global one or with the same nickname in another room. Pure; any thread.
 */
public final class RoomNicknames {

  /** Separates the room from the nickname key: neither a room name nor a nickname may contain it. */
  private static final char SEPARATOR = '\n';

  private RoomNicknames() {
  }

  /**
   * @param room    a valid room name
   * @param nickKey a normalized nickname key ({@code NicknameRules})
   * @return the key of that nickname's lease in that room
   */
  public static String leaseKey(String room, String nickKey) {
    return room + SEPARATOR + nickKey;
  }

  /**
   * @param leaseKey a key of the nickname lease map
   * @return whether it is a room nickname's (a global nickname's key has no separator)
   */
  public static boolean isRoomKey(String leaseKey) {
    return leaseKey.indexOf(SEPARATOR) >= 0;
  }
}
