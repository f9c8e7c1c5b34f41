package dev.presence.room;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Each user's session count in one room: the value of the cluster's per-room user counts (room → this), which tell a
 * join whether its user is new to the room and a leave whether its user leaves with it. The store changes it with an
 * entry processor on the room's key, applying the rules below on the room's partition thread (and again on its
 * backup with the same input).
 *
 * <p>Why one record per room, in two sorted arrays: one map entry per (room, user) cost about 400 bytes per membership
 * over both copies (a serialized key, value and record each), where a slot here costs a reference, an int and the
 * user id per copy (load-tests README, "rooms"). The map keeps these records as objects ({@code OBJECT} in-memory
 * format, and no index, so Hazelcast never clones a record to process it): a change copies the arrays, one
 * {@code arraycopy} of at most the room's users, a few microseconds for 5,000, and serializes nothing. (A first
 * version kept a {@code HashMap} inside a serialized room record and paid its whole serialization twice per join.)
 * Copy-on-write keeps every record immutable, so nothing can change a stored record behind Hazelcast's back.
 *
 * <p>Users are ordered by {@link String#compareTo}; counts are positive (a user at zero is removed). Immutable and
 * thread-safe.
 */
public final class RoomUserCounts {

  private static final RoomUserCounts EMPTY = new RoomUserCounts(new String[0], new int[0]);

  private final String[] users;
  private final int[] sessions;

  private RoomUserCounts(String[] users, int[] sessions) {
    this.users = users;
    this.sessions = sessions;
  }

  /** @return the counts of a room nobody is in (the store keeps no record of it) */
  public static RoomUserCounts empty() {
    return EMPTY;
  }

  /**
   * The counts as they were stored (deserialization): the arrays are taken as they are.
   *
   * @param users    the users, ordered by {@link String#compareTo}, no duplicates
   * @param sessions each user's sessions (positive), in the same order
   * @return the counts
   * @throws IllegalArgumentException if the arrays differ in length, the users are not strictly ordered or a count is
   *     not positive
   */
  public static RoomUserCounts stored(String[] users, int[] sessions) {
    if (users.length != sessions.length) {
      throw new IllegalArgumentException("one session count per user");
    }
    for (int i = 0; i < users.length; i++) {
      if ((i > 0 && users[i - 1].compareTo(users[i]) >= 0) || sessions[i] <= 0) {
        throw new IllegalArgumentException("users must be strictly ordered, with positive counts");
      }
    }
    return new RoomUserCounts(users, sessions);
  }

  /**
   * @param perUser user → sessions (positive), as a recount found them
   * @return those counts
   */
  public static RoomUserCounts of(Map<String, Integer> perUser) {
    String[] users = perUser.keySet().toArray(new String[0]);
    Arrays.sort(users);
    int[] sessions = new int[users.length];
    for (int i = 0; i < users.length; i++) {
      sessions[i] = perUser.get(users[i]);
    }
    return stored(users, sessions);
  }

  /** @return distinct users counted */
  public int users() {
    return users.length;
  }

  /** @return whether no user is counted (the store removes the record) */
  public boolean isEmpty() {
    return users.length == 0;
  }

  /**
   * @param user a user id
   * @return the user's sessions in the room (0 if none)
   */
  public int sessionsOf(String user) {
    int at = Arrays.binarySearch(users, user);
    return at >= 0 ? sessions[at] : 0;
  }

  /**
   * @param user the user of a session that takes a place
   * @return the counts with one more session of the user
   */
  public RoomUserCounts add(String user) {
    int at = Arrays.binarySearch(users, user);
    if (at >= 0) {
      int[] more = sessions.clone();
      more[at]++;
      return new RoomUserCounts(users, more);
    }
    int insert = -at - 1;
    String[] moreUsers = new String[users.length + 1];
    int[] moreSessions = new int[users.length + 1];
    System.arraycopy(users, 0, moreUsers, 0, insert);
    System.arraycopy(sessions, 0, moreSessions, 0, insert);
    moreUsers[insert] = user;
    moreSessions[insert] = 1;
    System.arraycopy(users, insert, moreUsers, insert + 1, users.length - insert);
    System.arraycopy(sessions, insert, moreSessions, insert + 1, users.length - insert);
    return new RoomUserCounts(moreUsers, moreSessions);
  }

  /**
   * @param user the user of a session that gives its place back
   * @return the counts with one session of the user fewer (the user gone at zero), or this record if the user is not
   *     counted (a drift, which the recount repairs; a release never makes one worse)
   */
  public RoomUserCounts remove(String user) {
    int at = Arrays.binarySearch(users, user);
    if (at < 0) {
      return this;
    }
    if (sessions[at] > 1) {
      int[] fewer = sessions.clone();
      fewer[at]--;
      return new RoomUserCounts(users, fewer);
    }
    if (users.length == 1) {
      return EMPTY;
    }
    String[] fewerUsers = new String[users.length - 1];
    int[] fewerSessions = new int[users.length - 1];
    System.arraycopy(users, 0, fewerUsers, 0, at);
    System.arraycopy(sessions, 0, fewerSessions, 0, at);
    System.arraycopy(users, at + 1, fewerUsers, at, users.length - at - 1);
    System.arraycopy(sessions, at + 1, fewerSessions, at, users.length - at - 1);
    return new RoomUserCounts(fewerUsers, fewerSessions);
  }

  /** @return the users, ordered (a copy; for serialization) */
  public String[] usersInOrder() {
    return users.clone();
  }

  /** @return each user's sessions, in the order of {@link #usersInOrder()} (a copy) */
  public int[] sessionsInOrder() {
    return sessions.clone();
  }

  /** @return user → sessions (a copy) */
  public Map<String, Integer> perUser() {
    Map<String, Integer> perUser = new HashMap<>(users.length * 2);
    for (int i = 0; i < users.length; i++) {
      perUser.put(users[i], sessions[i]);
    }
    return perUser;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoomUserCounts c && Arrays.equals(c.users, users) && Arrays.equals(c.sessions, sessions);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(users) * 31 + Arrays.hashCode(sessions);
  }

  @Override
  public String toString() {
    return "RoomUserCounts[users=" + users.length + "]";
  }
}
