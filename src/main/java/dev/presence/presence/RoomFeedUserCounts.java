package dev.presence.presence;

/**
 * A room view's sessions per user: user id → how many of the view's sessions are that user's, for the room's
 * distinct-user count ({@link RoomFeed#users()}). A user is in it only while the count is above zero.
 *
 * <p>Why not a {@code HashMap<String, Integer>}: every node keeps a view of every watched room, and the {@code rooms}
 * load test (load-tests/README.md, "rooms") measured a {@code HashMap$Node} (32 B) plus its table slot per membership
 * and node, against issue #13's goal of at most 1 KB of heap per membership in all. This is an open-addressing table
 * with no object per user: a {@code String[]} of users and an {@code int[]} of counts, linear probing, at most 60 %
 * full (a power-of-two length), so a user costs 1.7 to 3.3 slots of 8 B (4 B reference + 4 B count): 13 to 27 B.
 * Removal shifts the probe run back (no tombstones, so lookups never slow down with churn); the table halves when an
 * eighth full and is dropped when empty.
 *
 * <p>A {@code null} user is counted like any other (a {@code HashMap} allowed it); it lives in its own field since
 * {@code null} marks a free slot.
 *
 * <p>Threading: not thread-safe; confined to the owner of its {@link RoomFeed} (one context).
 */
final class RoomFeedUserCounts {

  private static final String[] NO_USERS = {};
  private static final int[] NO_COUNTS = {};
  /** The table's length for its first user (a power of two). */
  private static final int FIRST_CAPACITY = 4;

  /** Open-addressing table: {@code users[i] == null} marks a free slot; {@code counts[i]} is that user's count. */
  private String[] users = NO_USERS;
  private int[] counts = NO_COUNTS;
  /** Users in the table (the {@code null} user not included). */
  private int size;
  /** The {@code null} user's count. */
  private int nullCount;

  /** @return distinct users with a count above zero */
  int size() {
    return size + (nullCount > 0 ? 1 : 0);
  }

  /** @return the user's count, 0 if absent */
  int count(String user) {
    if (user == null) {
      return nullCount;
    }
    int i = slotOf(user);
    return i >= 0 ? counts[i] : 0;
  }

  /**
   * Adds one session of the user.
   *
   * @return the user's count after
   */
  int increment(String user) {
    if (user == null) {
      return ++nullCount;
    }
    int i = slotOf(user);
    if (i >= 0) {
      return ++counts[i];
    }
    if ((size + 1) * 5 > users.length * 3) { // above 60 % full probe runs grow long
      rehash(users.length == 0 ? FIRST_CAPACITY : users.length * 2);
      i = slotOf(user);
    }
    int free = -(i + 1);
    users[free] = user;
    counts[free] = 1;
    size++;
    return 1;
  }

  /**
   * Removes one session of the user; the user goes when its count reaches zero. An absent user is left absent.
   *
   * @return the user's count after (0 if it was absent or is now gone)
   */
  int decrement(String user) {
    if (user == null) {
      nullCount = Math.max(0, nullCount - 1);
      return nullCount;
    }
    int i = slotOf(user);
    if (i < 0) {
      return 0;
    }
    if (counts[i] > 1) {
      return --counts[i];
    }
    deleteAt(i);
    size--;
    if (size == 0) {
      users = NO_USERS;
      counts = NO_COUNTS;
    } else if (users.length > FIRST_CAPACITY && size * 8 <= users.length) {
      rehash(users.length / 2); // a quarter full after: a room that shrank gives its table back
    }
    return 0;
  }

  /** @return the table's length (tests check its load and that it shrinks) */
  int capacity() {
    return users.length;
  }

  /** @return the user's slot, or {@code -(free slot) - 1} where it would go (-1 for an empty table) */
  private int slotOf(String user) {
    if (users.length == 0) {
      return -1;
    }
    int mask = users.length - 1;
    for (int i = home(user, mask); ; i = (i + 1) & mask) {
      String at = users[i];
      if (at == null) {
        return -(i + 1);
      }
      if (at.equals(user)) {
        return i;
      }
    }
  }

  /**
   * Empties slot {@code free} and moves back each later entry of its probe run that may sit there (its home slot is
   * not cyclically after {@code free}), so every user stays reachable from its home without tombstones.
   */
  private void deleteAt(int free) {
    int mask = users.length - 1;
    for (int j = (free + 1) & mask; users[j] != null; j = (j + 1) & mask) {
      int home = home(users[j], mask);
      if (((j - home) & mask) >= ((j - free) & mask)) {
        users[free] = users[j];
        counts[free] = counts[j];
        free = j;
      }
    }
    users[free] = null;
    counts[free] = 0;
  }

  private void rehash(int capacity) {
    String[] oldUsers = users;
    int[] oldCounts = counts;
    users = new String[capacity];
    counts = new int[capacity];
    for (int i = 0; i < oldUsers.length; i++) {
      if (oldUsers[i] != null) {
        int free = -(slotOf(oldUsers[i]) + 1);
        users[free] = oldUsers[i];
        counts[free] = oldCounts[i];
      }
    }
  }

  /**
   * The home slot: String's hash mixed first, since ids that differ in their last character ("u1", "u2") hash to
   * neighbours, and neighbouring homes merge into one long probe run.
   */
  private static int home(String user, int mask) {
    int h = user.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
