package dev.presence.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A room recounted from its memberships (drift repair, docs/consistency.md "Rooms"): its sessions per user, what the
 * store's occupancy record and per-user session counts should say. Immutable.
 *
 * @param room     the room name
 * @param sessions sessions in the room (the sum of {@code perUser})
 * @param perUser  user → that user's sessions in the room (never a zero)
 */
public record RoomTally(String room, int sessions, Map<String, Integer> perUser) {

  /** Copies {@code perUser}. */
  public RoomTally {
    perUser = Map.copyOf(perUser);
  }

  /**
   * @param room         the room name
   * @param sessionUsers the user of each session in the room (one element per session)
   * @return the room's tally
   */
  public static RoomTally ofSessions(String room, Collection<String> sessionUsers) {
    Map<String, Integer> perUser = new HashMap<>();
    sessionUsers.forEach(user -> perUser.merge(user, 1, Integer::sum));
    return new RoomTally(room, sessionUsers.size(), perUser);
  }

  /** @return the number of distinct users in the room */
  public int users() {
    return perUser.size();
  }

  /** @return whether nobody is in the room */
  public boolean isEmpty() {
    return sessions == 0;
  }
}
