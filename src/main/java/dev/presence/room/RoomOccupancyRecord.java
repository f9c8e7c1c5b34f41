package dev.presence.room;

import java.util.Arrays;
import java.util.Map;

/**
 * A room's occupancy as the cluster stores it: its counts ({@link #occupancy()}) and each user's session count in the
 * room, which decides whether a place taken or given back changes the user count. One record per room, so a join or a
 * leave is one atomic step on the room's key: the rules below, applied by the store's entry processor on the room's
 * partition thread (and again on its backup with the same input).
 *
 * <p>Why the users live here, in two sorted arrays: a map of their own ({@code (room, user) → sessions}) cost a
 * second entry processor per join and leave and about 400 bytes per membership over both copies (two serialized
 * records, their keys and values), where these arrays cost a reference, an int and the user id per copy
 * (load-tests README, "rooms"). The record is stored as an object ({@code OBJECT} in-memory format), so a change reads
 * no bytes and writes none: it copies the arrays, one {@code arraycopy} of at most the room's users, a few
 * microseconds for 5,000 (a first version kept a {@code HashMap} in a {@code BINARY} record and paid its whole
 * serialization twice per join). Copy-on-write keeps every record immutable: a query thread may read a record while
 * its partition thread replaces it.
 *
 * <p>Users are ordered by {@link String#compareTo}; counts are positive (a user at zero is removed). Immutable and
 * thread-safe.
 */
public final class RoomOccupancyRecord {

  private static final String[] NO_USERS = {};
  private static final int[] NO_COUNTS = {};

  private final String room;
  private final int sessions;
  private final long version;
  private final String[] users;
  private final int[] sessionsOfUser;

  private RoomOccupancyRecord(String room, int sessions, long version, String[] users, int[] sessionsOfUser) {
    this.room = room;
    this.sessions = sessions;
    this.version = version;
    this.users = users;
    this.sessionsOfUser = sessionsOfUser;
  }

  /**
   * @param room a room name
   * @return the record of a room nobody is in (the store keeps none; a first place starts from it)
   */
  public static RoomOccupancyRecord empty(String room) {
    return new RoomOccupancyRecord(room, 0, 0, NO_USERS, NO_COUNTS);
  }

  /**
   * The record as it was stored (deserialization): the arrays are taken as they are.
   *
   * @param room           the room name
   * @param sessions       sessions in the room
   * @param version        the record's version
   * @param users          the users, ordered by {@link String#compareTo}, no duplicates
   * @param sessionsOfUser each user's sessions (positive), in the same order
   * @return the record
   * @throws IllegalArgumentException if the arrays differ in length or the users are not strictly ordered
   */
  public static RoomOccupancyRecord stored(String room, int sessions, long version, String[] users,
      int[] sessionsOfUser) {
    if (users.length != sessionsOfUser.length) {
      throw new IllegalArgumentException("one session count per user");
    }
    for (int i = 1; i < users.length; i++) {
      if (users[i - 1].compareTo(users[i]) >= 0) {
        throw new IllegalArgumentException("users must be strictly ordered");
      }
    }
    return new RoomOccupancyRecord(room, sessions, version, users, sessionsOfUser);
  }

  /**
   * A room recounted from its memberships (drift repair), at a given version.
   *
   * @param tally   the recount
   * @param version the version the record gets
   * @return the record the recount says
   */
  public static RoomOccupancyRecord of(RoomTally tally, long version) {
    String[] users = tally.perUser().keySet().toArray(new String[0]);
    Arrays.sort(users);
    int[] counts = new int[users.length];
    for (int i = 0; i < users.length; i++) {
      counts[i] = tally.perUser().get(users[i]);
    }
    return new RoomOccupancyRecord(tally.room(), tally.sessions(), version, users, counts);
  }

  /** @return the room name */
  public String room() {
    return room;
  }

  /** @return sessions in the room */
  public int sessions() {
    return sessions;
  }

  /** @return incremented by every change: a reader tells two counts of the same room apart by it */
  public long version() {
    return version;
  }

  /** @return the counts readers see (sessions, distinct users, version) */
  public RoomOccupancy occupancy() {
    return new RoomOccupancy(room, sessions, users.length, version);
  }

  /** @return whether nobody is in the room (the store removes the record) */
  public boolean isEmpty() {
    return sessions == 0;
  }

  /** @return the users, ordered (a copy; for serialization and tests) */
  public String[] users() {
    return users.clone();
  }

  /** @return each user's sessions, in the order of {@link #users()} (a copy) */
  public int[] sessionsOfUsers() {
    return sessionsOfUser.clone();
  }

  /**
   * @param user a user id
   * @return the user's sessions in the room (0 if none)
   */
  public int sessionsOf(String user) {
    int at = Arrays.binarySearch(users, user);
    return at >= 0 ? sessionsOfUser[at] : 0;
  }

  /**
   * A session of {@code user} takes a place.
   *
   * @param user       the session's user
   * @param maxMembers most sessions the room may hold ({@code PRESENCE_ROOM_MAX_MEMBERS})
   * @return the record with one more session (and the user counted), or {@code null} if the room is full
   */
  public RoomOccupancyRecord admit(String user, int maxMembers) {
    if (sessions >= maxMembers) {
      return null;
    }
    int at = Arrays.binarySearch(users, user);
    if (at >= 0) {
      int[] counts = sessionsOfUser.clone();
      counts[at]++;
      return new RoomOccupancyRecord(room, sessions + 1, version + 1, users, counts);
    }
    int insert = -at - 1;
    String[] moreUsers = new String[users.length + 1];
    int[] moreCounts = new int[users.length + 1];
    System.arraycopy(users, 0, moreUsers, 0, insert);
    System.arraycopy(sessionsOfUser, 0, moreCounts, 0, insert);
    moreUsers[insert] = user;
    moreCounts[insert] = 1;
    System.arraycopy(users, insert, moreUsers, insert + 1, users.length - insert);
    System.arraycopy(sessionsOfUser, insert, moreCounts, insert + 1, users.length - insert);
    return new RoomOccupancyRecord(room, sessions + 1, version + 1, moreUsers, moreCounts);
  }

  /**
   * A session of {@code user} gives its place back. A user the record does not count (a drift: its place was never
   * counted, or was given back already) changes nothing; the recount repairs drifts, a release never makes one worse.
   *
   * @param user the session's user
   * @return the record with one session fewer, or this record if the user is not counted
   */
  public RoomOccupancyRecord release(String user) {
    int at = Arrays.binarySearch(users, user);
    if (at < 0) {
      return this;
    }
    int remaining = Math.max(0, sessions - 1);
    if (sessionsOfUser[at] > 1) {
      int[] counts = sessionsOfUser.clone();
      counts[at]--;
      return new RoomOccupancyRecord(room, remaining, version + 1, users, counts);
    }
    if (users.length == 1) {
      return new RoomOccupancyRecord(room, remaining, version + 1, NO_USERS, NO_COUNTS);
    }
    String[] fewerUsers = new String[users.length - 1];
    int[] fewerCounts = new int[users.length - 1];
    System.arraycopy(users, 0, fewerUsers, 0, at);
    System.arraycopy(sessionsOfUser, 0, fewerCounts, 0, at);
    System.arraycopy(users, at + 1, fewerUsers, at, users.length - at - 1);
    System.arraycopy(sessionsOfUser, at + 1, fewerCounts, at, users.length - at - 1);
    return new RoomOccupancyRecord(room, remaining, version + 1, fewerUsers, fewerCounts);
  }

  /** @return user → sessions (a copy), for tests and the recount's comparison */
  public Map<String, Integer> perUser() {
    Map<String, Integer> perUser = new java.util.HashMap<>();
    for (int i = 0; i < users.length; i++) {
      perUser.put(users[i], sessionsOfUser[i]);
    }
    return perUser;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoomOccupancyRecord r && r.room.equals(room) && r.sessions == sessions
        && r.version == version && Arrays.equals(r.users, users) && Arrays.equals(r.sessionsOfUser, sessionsOfUser);
  }

  @Override
  public int hashCode() {
    return (room.hashCode() * 31 + sessions) * 31 + Long.hashCode(version);
  }

  @Override
  public String toString() {
    return "RoomOccupancyRecord[room=" + room + ", sessions=" + sessions + ", users=" + users.length + ", version="
        + version + "]";
  }
}
