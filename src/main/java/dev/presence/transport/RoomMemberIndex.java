package dev.presence.transport;

import dev.presence.presence.PresenceEntry;
import dev.presence.presence.RoomFeed;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of the node's watched room views: for each member session, the rooms whose view lists it (so a
 * global change of the session, a nick, status or leave, reaches those views only) and the one entry all those views
 * share. A session in three watched rooms is one entry here, not three: with 19,000 sessions in three rooms each, the
 * room views' entries were two thirds of the heap per membership (issue #13, load-tests README "rooms"). Node ids are
 * shared the same way: every entry names one of a few nodes.
 *
 * <p>Threading: confined to the context of the {@link RoomWatches} that owns it, like the feeds it listens to.
 */
final class RoomMemberIndex implements RoomFeed.MemberListener {

  private final Map<String, Member> members = new HashMap<>();
  /** Grows with the node ids seen (a few dozen strings over a long life of rolling restarts). */
  private final Map<String, String> nodeIds = new HashMap<>();

  /**
   * A member: the rooms whose view lists it, and the entry they all share. The rooms are a plain array: a session is
   * in a few rooms (at most {@code PRESENCE_MAX_ROOMS_PER_SESSION}), and a hash set per session cost about 240 bytes
   * for three rooms where the array costs 32.
   */
  private static final class Member {
    private static final String[] NONE = {};
    String[] rooms = NONE;
    PresenceEntry entry;

    void add(String room) {
      for (String in : rooms) {
        if (in.equals(room)) {
          return;
        }
      }
      rooms = Arrays.copyOf(rooms, rooms.length + 1);
      rooms[rooms.length - 1] = room;
    }

    /** @return whether it was listed */
    boolean remove(String room) {
      for (int i = 0; i < rooms.length; i++) {
        if (rooms[i].equals(room)) {
          String[] fewer = new String[rooms.length - 1];
          System.arraycopy(rooms, 0, fewer, 0, i);
          System.arraycopy(rooms, i + 1, fewer, i, rooms.length - i - 1);
          rooms = fewer;
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public void added(String session, String room) {
    members.computeIfAbsent(session, s -> new Member()).add(room);
  }

  /**
   * @return the entry this index shares for the session: {@code entry} itself (with the shared node id) when it
   *     differs from the one kept (a change, which every view of the session applies from the same event), else the
   *     kept one
   */
  @Override
  public PresenceEntry shared(PresenceEntry entry) {
    Member member = members.computeIfAbsent(entry.session(), s -> new Member());
    if (!entry.equals(member.entry)) {
      member.entry = withSharedNode(entry);
    }
    return member.entry;
  }

  @Override
  public void removed(String session, String room) {
    forget(session, room);
  }

  /**
   * The view of {@code room} no longer lists {@code session} (it left, or the view itself was dropped).
   *
   * @param session a member session
   * @param room    the room
   */
  void forget(String session, String room) {
    Member member = members.get(session);
    if (member != null && member.remove(room) && member.rooms.length == 0) {
      members.remove(session);
    }
  }

  /**
   * @param session a session
   * @return the watched rooms whose view lists it (a copy; empty if none)
   */
  List<String> roomsOf(String session) {
    Member member = session == null ? null : members.get(session);
    return member == null ? List.of() : List.of(member.rooms);
  }

  /** @return how many sessions the views list (each once) */
  int size() {
    return members.size();
  }

  /** Forgets every member (the watches stopped). */
  void clear() {
    members.clear();
    nodeIds.clear();
  }

  /** @return {@code e}, or a copy naming its node with the one instance of that id this index keeps */
  private PresenceEntry withSharedNode(PresenceEntry e) {
    if (e.node() == null) {
      return e;
    }
    String node = nodeIds.computeIfAbsent(e.node(), n -> n);
    return node == e.node() ? e : new PresenceEntry(e.session(), e.user(), e.nick(), e.nickKey(), node,
        e.connectedAt(), e.lastRenewedAt(), e.version(), e.status(), e.heldUntil(), e.resumeGeneration(), e.rooms());
  }
}
