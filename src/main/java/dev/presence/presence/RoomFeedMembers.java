package dev.presence.presence;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A room view's members: session id → {@link RoomMember}, kept sorted by session id ({@link String#compareTo}, the
 * digest's order, docs/protocol.md §12.1) in two parallel arrays, found by binary search.
 *
 * <p>Why not a {@code TreeMap}: every node keeps a view of every watched room, and the {@code rooms} load test
 * (load-tests/README.md, "rooms") measured a {@code TreeMap$Entry} (40 B) per membership and node, against issue
 * #13's goal of at most 1 KB of heap per membership in all. Here an entry costs its two array slots: 8 B with
 * compressed oops, 8 to 12 B while the room grows (by 1.5×), at most 32 B while it shrinks. An insert or a remove in the middle moves the entries after
 * it ({@code System.arraycopy}): at most 5,000 references for the largest room of that test, which is cheap beside
 * the event that caused it. The arrays shrink when the room falls to a quarter of their length, and are dropped when
 * it empties, so a room that was once large does not keep its arrays.
 *
 * <p>Keys are non-null (a {@code null} session id throws {@link NullPointerException}, as a {@code TreeMap} does).
 *
 * <p>Threading: not thread-safe; confined to the owner of its {@link RoomFeed} (one context).
 */
final class RoomFeedMembers {

  private static final String[] NO_IDS = {};
  private static final RoomMember[] NO_MEMBERS = {};
  /** The arrays' length for a room's first member: most rooms are small. */
  private static final int FIRST_CAPACITY = 2;

  /** {@code ids[0..size)} sorted ascending; {@code members[i]} is the member of {@code ids[i]}; the rest null. */
  private String[] ids = NO_IDS;
  private RoomMember[] members = NO_MEMBERS;
  private int size;
  /** Moved by every insert or remove: a view handed out earlier then fails instead of reading shifted slots. */
  private int changes;

  /** @return sessions in the view */
  int size() {
    return size;
  }

  /** @return whether the session is in the view */
  boolean containsKey(String session) {
    return indexOf(session) >= 0;
  }

  /** @return the session's member, or {@code null} if it is not in the view */
  RoomMember get(String session) {
    int i = indexOf(session);
    return i >= 0 ? members[i] : null;
  }

  /**
   * Inserts the session in order, or replaces its member.
   *
   * @return the member it replaced, or {@code null} if the session is new to the view
   */
  RoomMember put(String session, RoomMember member) {
    int i = indexOf(session);
    if (i >= 0) {
      RoomMember before = members[i];
      members[i] = member;
      return before;
    }
    int at = -(i + 1);
    if (size == ids.length) {
      resize(size == 0 ? FIRST_CAPACITY : size + Math.max(1, size >> 1));
    }
    System.arraycopy(ids, at, ids, at + 1, size - at);
    System.arraycopy(members, at, members, at + 1, size - at);
    ids[at] = session;
    members[at] = member;
    size++;
    changes++;
    return null;
  }

  /** @return the session's member it removed, or {@code null} if the session was not in the view */
  RoomMember remove(String session) {
    int i = indexOf(session);
    if (i < 0) {
      return null;
    }
    RoomMember before = members[i];
    System.arraycopy(ids, i + 1, ids, i, size - i - 1);
    System.arraycopy(members, i + 1, members, i, size - i - 1);
    size--;
    ids[size] = null; // no stale references: a removed member must be collectable
    members[size] = null;
    changes++;
    if (size == 0) {
      ids = NO_IDS;
      members = NO_MEMBERS;
    } else if (ids.length > 2 * FIRST_CAPACITY && size <= ids.length / 4) {
      resize(ids.length / 2); // half full after: a join and a leave at the boundary do not copy each time
    }
    return before;
  }

  /**
   * @return the session ids in order, a read-only view without a copy (the digest hashes them one at a time); it
   *     throws {@link ConcurrentModificationException} once a session is added or removed, so a caller that changes
   *     the view while walking it must walk a copy
   */
  List<String> ids() {
    return new View<>(ids);
  }

  /** @return the members in session-id order, a read-only view like {@link #ids()} */
  List<RoomMember> members() {
    return new View<>(members);
  }

  /** @return the arrays' length (tests check that a room that shrank gave its slots back) */
  int capacity() {
    return ids.length;
  }

  private int indexOf(String session) {
    Objects.requireNonNull(session, "session");
    return Arrays.binarySearch(ids, 0, size, session);
  }

  private void resize(int capacity) {
    ids = Arrays.copyOf(ids, capacity);
    members = Arrays.copyOf(members, capacity);
  }

  /** The first {@code size} slots of one array, valid until the next insert or remove. */
  private final class View<E> extends AbstractList<E> implements RandomAccess {
    private final E[] slots;
    private final int expected = changes; // not AbstractList.modCount, which this view never moves

    View(E[] slots) {
      this.slots = slots;
    }

    @Override
    public E get(int index) {
      checkUnchanged();
      return slots[Objects.checkIndex(index, size)];
    }

    @Override
    public int size() {
      checkUnchanged();
      return size;
    }

    @Override
    public Object[] toArray() {
      checkUnchanged();
      return Arrays.copyOf(slots, size, Object[].class);
    }

    private void checkUnchanged() {
      if (changes != expected) {
        throw new ConcurrentModificationException("the room view changed: walk a copy to change it meanwhile");
      }
    }
  }
}
