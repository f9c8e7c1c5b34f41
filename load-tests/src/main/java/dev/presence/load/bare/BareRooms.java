package dev.presence.load.bare;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bare server's rooms (the {@code rooms} load scenario's baseline): the least a single process must do to answer
 * the generator's room frames as the node does (docs/protocol.md §12), with no cluster, no store and no lease. A
 * {@code join} adds the session to the room's members and answers {@code joined} with the counts, then, if it
 * watches, {@code presence.state} of the room; members' changes reach the room's watchers as one
 * {@code presence.diff} per room per {@value #BATCH_WINDOW_MS} ms window, numbered by {@code seq}; a room above the
 * large threshold sends its watchers {@code presence.counts} instead, at most once per second. Frames have the
 * node's shapes and about its sizes (a member is session, user, nick, node and since).
 *
 * <p>Threading: one instance per process, shared by the verticles; each room is guarded by its own lock, and frames
 * are written after it is released (a Vert.x WebSocket may be written from any thread: the write is handed to its
 * event loop). Window timers run on the event loop that started the window.
 */
final class BareRooms {

  /** The node's diff window (as its {@code PresenceSubscriber.BATCH_WINDOW_MS}), ms. */
  static final long BATCH_WINDOW_MS = 50;
  /** At most one {@code presence.counts} per large room per this long, ms (as the node). */
  static final long COUNTS_PERIOD_MS = 1000;

  private final Vertx vertx;
  private final int largeThreshold;
  private final String node;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  /**
   * @param vertx          the process's Vert.x (window timers)
   * @param largeThreshold members above which a room's watchers get counts ({@code PRESENCE_ROOM_LARGE})
   * @param node           the node id members carry
   */
  BareRooms(Vertx vertx, int largeThreshold, String node) {
    this.vertx = vertx;
    this.largeThreshold = largeThreshold;
    this.node = node;
  }

  /** A session as the rooms see it: its ids, and where its room frames go. {@link BareConnection} in the server. */
  interface Client {
    /** @return its session id */
    String session();

    /** @return its user */
    String user();

    /**
     * Writes a room frame to it; called from any thread, with no room's lock held.
     *
     * @param frame the frame's text
     */
    void send(String frame);
  }

  /** One member: its session, user and its entry as JSON text (encoded once, at its join). */
  private record Member(String session, String user, String json) {
  }

  /** A room's members (by session id), watchers and pending changes. Guarded by itself. */
  private static final class Room {
    final String name;
    final TreeMap<String, Member> members = new TreeMap<>();
    final Map<String, Integer> userSessions = new HashMap<>();
    final Map<Client, Boolean> watchers = new HashMap<>();
    final List<String> joins = new ArrayList<>();
    final List<String> leaves = new ArrayList<>();
    long seq;
    long timer = -1;
    long countsSentAt;
    boolean large;

    Room(String name) {
      this.name = name;
    }
  }

  /** What a join answers: {@code joined}, then (if it watches) the room's snapshot. */
  record Joined(String joined, String snapshot) {
  }

  /**
   * @param connection the joining connection (its session and user)
   * @param room       the room
   * @param watch      whether it also watches the room
   * @return the frames to send it, in order
   */
  Joined join(Client connection, String room, boolean watch) {
    Room r = rooms.computeIfAbsent(room, Room::new);
    synchronized (r) {
      if (!r.members.containsKey(connection.session())) {
        String json = new JsonObject().put("session", connection.session()).put("user", connection.user())
            .putNull("nick").put("node", node).put("since", System.currentTimeMillis()).encode();
        r.members.put(connection.session(), new Member(connection.session(), connection.user(), json));
        r.userSessions.merge(connection.user(), 1, Integer::sum);
        changed(r, json, true);
      }
      String joined = new JsonObject().put("type", "joined").put("room", room).putNull("nick")
          .put("members", r.members.size()).put("users", r.userSessions.size()).encode();
      if (!watch) {
        return new Joined(joined, null);
      }
      r.watchers.put(connection, Boolean.TRUE);
      return new Joined(joined, snapshot(r));
    }
  }

  /**
   * @param connection the leaving connection
   * @param room       the room
   * @return whether it was a member
   */
  boolean leave(Client connection, String room) {
    Room r = rooms.get(room);
    if (r == null) {
      return false;
    }
    synchronized (r) {
      r.watchers.remove(connection);
      Member member = r.members.remove(connection.session());
      if (member == null) {
        return false;
      }
      r.userSessions.computeIfPresent(member.user(), (u, n) -> n == 1 ? null : n - 1);
      changed(r, new JsonObject().put("session", member.session()).put("user", member.user()).putNull("nick")
          .put("node", node).put("reason", "left").encode(), false);
      return true;
    }
  }

  /**
   * A page of a room's members, as {@code GET /rooms/{room}} answers on the node.
   *
   * @param room  the room
   * @param after exclusive lower bound on the session id, or {@code null}
   * @param limit page size
   * @return {@code {"room","sessions","users","members","next"}}
   */
  String page(String room, String after, int limit) {
    Room r = rooms.get(room);
    if (r == null) {
      return new JsonObject().put("room", room).put("sessions", 0).put("users", 0).put("members", new JsonArray())
          .putNull("next").encode();
    }
    synchronized (r) {
      StringBuilder members = new StringBuilder(64 + limit * 160).append('[');
      String last = null;
      int n = 0;
      for (Member m : (after == null ? r.members : r.members.tailMap(after, false)).values()) {
        if (n == limit) {
          break;
        }
        members.append(n++ == 0 ? "" : ",").append(m.json());
        last = m.session();
      }
      members.append(']');
      boolean more = last != null && r.members.higherKey(last) != null;
      return "{\"room\":" + quote(room) + ",\"sessions\":" + r.members.size() + ",\"users\":"
          + r.userSessions.size() + ",\"members\":" + members + ",\"next\":" + (more ? quote(last) : "null") + "}";
    }
  }

  /** A change: into the window's diff (a small room) or the next counts (a large one). Room lock held. */
  private void changed(Room r, String json, boolean join) {
    boolean large = r.members.size() > largeThreshold;
    if (large != r.large) {
      r.large = large;
      r.joins.clear();
      r.leaves.clear();
    }
    if (!large) {
      (join ? r.joins : r.leaves).add(json);
    }
    if (r.timer < 0) {
      long delay = large ? Math.max(1, COUNTS_PERIOD_MS - (System.currentTimeMillis() - r.countsSentAt))
          : BATCH_WINDOW_MS;
      r.timer = vertx.setTimer(delay, id -> flush(r));
    }
  }

  private void flush(Room r) {
    String frame;
    List<Client> to;
    synchronized (r) {
      r.timer = -1;
      if (r.large) {
        r.countsSentAt = System.currentTimeMillis();
        frame = counts(r);
      } else {
        if (r.joins.isEmpty() && r.leaves.isEmpty()) {
          return;
        }
        r.seq++;
        frame = "{\"type\":\"presence.diff\",\"room\":" + quote(r.name) + ",\"seq\":" + r.seq + ",\"joins\":["
            + String.join(",", r.joins) + "],\"leaves\":[" + String.join(",", r.leaves) + "],\"updates\":[]}";
        r.joins.clear();
        r.leaves.clear();
      }
      to = new ArrayList<>(r.watchers.keySet());
    }
    for (Client watcher : to) {
      watcher.send(frame);
    }
  }

  /** Room lock held. */
  private String snapshot(Room r) {
    if (r.large) {
      return counts(r);
    }
    StringBuilder out = new StringBuilder(96 + r.members.size() * 160).append("{\"type\":\"presence.state\",\"room\":")
        .append(quote(r.name)).append(",\"seq\":").append(r.seq).append(",\"sessions\":[");
    boolean first = true;
    for (Member m : r.members.values()) {
      out.append(first ? "" : ",").append(m.json());
      first = false;
    }
    return out.append("],\"truncated\":false}").toString();
  }

  private static String counts(Room r) {
    return "{\"type\":\"presence.counts\",\"room\":" + quote(r.name) + ",\"sessions\":" + r.members.size()
        + ",\"users\":" + r.userSessions.size() + "}";
  }

  private static String quote(String text) {
    return io.vertx.core.json.Json.encode(text);
  }
}
