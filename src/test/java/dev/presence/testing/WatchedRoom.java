package dev.presence.testing;

import dev.presence.presence.RoomFeed;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A client's view of one watched room, folded from the messages it received (docs/protocol.md §12.1), as a
 * careful client keeps it: {@code presence.state} replaces the view, each {@code presence.diff} must carry the next
 * sequence number (a gap is counted), {@code presence.digest} is checked against the view when its {@code seq} is
 * the view's, {@code presence.counts} switches to counts. Immutable result of {@link #of}; any thread. The fold
 * itself is {@link Folder}, which a long-lived client (the fault suite's room watchers) feeds message by message.
 *
 * @param room             the room
 * @param members          session → its last known entry (empty in counts mode)
 * @param seq              the sequence number of the last state or diff applied (-1 before the first state)
 * @param gaps             diffs whose {@code seq} was not the previous one plus one
 * @param digestsMatched   digests that equalled the view's
 * @param digestMismatches digests that did not (while no gap was pending: a view known to be stale is not checked)
 * @param counts           the last {@code presence.counts} if the room is in counts mode, else {@code null}
 * @param resyncs          {@code presence.resync} notices for the room
 */
public record WatchedRoom(String room, Map<String, JsonObject> members, long seq, int gaps, int digestsMatched,
    int digestMismatches, JsonObject counts, int resyncs) {

  /**
   * @param messages every message a session received, in order
   * @param room     the room
   * @return the view those messages build
   */
  public static WatchedRoom of(List<JsonObject> messages, String room) {
    Folder folder = new Folder(room);
    messages.forEach(folder::apply);
    return folder.view();
  }

  /** @return the member session ids */
  public Set<String> sessions() {
    return members.keySet();
  }

  /**
   * The fold of {@link WatchedRoom}, one message at a time. Not thread-safe: one thread feeds it (a client's event
   * loop), others read {@link #view()} under the caller's lock.
   */
  public static final class Folder {
    private final String room;
    private final Map<String, JsonObject> members = new TreeMap<>();
    private long seq = -1;
    private int gaps;
    private int matched;
    private int mismatched;
    private int resyncs;
    private JsonObject counts;
    private boolean stale;

    /** @param room the room whose messages it applies (others are ignored) */
    public Folder(String room) {
      this.room = room;
    }

    /**
     * Applies one received message (ignored unless it carries this room).
     *
     * @return what the message changed: the sessions it removed from the view (a diff's leaves, or members a
     *     fresh snapshot no longer lists) and whether it left a gap that a fresh snapshot must resolve
     */
    public Applied apply(JsonObject m) {
      if (!room.equals(m.getString("room"))) {
        return Applied.NOTHING;
      }
      return switch (m.getString("type", "")) {
        case "presence.state" -> state(m);
        case "presence.diff" -> diff(m);
        case "presence.digest" -> {
          if (!stale && m.getLong("seq") == seq) {
            if (RoomFeed.digestOf(members.keySet()).equals(m.getString("digest"))) {
              matched++;
            } else {
              mismatched++;
            }
          }
          yield Applied.NOTHING;
        }
        case "presence.counts" -> {
          counts = m;
          members.clear();
          yield Applied.NOTHING;
        }
        case "presence.resync" -> {
          resyncs++;
          stale = true;
          yield Applied.NOTHING;
        }
        default -> Applied.NOTHING;
      };
    }

    private Applied state(JsonObject m) {
      Map<String, JsonObject> before = new TreeMap<>(members);
      members.clear();
      m.getJsonArray("sessions").forEach(o -> members.put(((JsonObject) o).getString("session"), (JsonObject) o));
      if (Boolean.TRUE.equals(m.getBoolean("users"))) {
        // A large room's followed users: counts stay, the members are only those users' sessions, unnumbered.
        return new Applied(Map.of(), false);
      }
      seq = m.getLong("seq");
      counts = null;
      stale = false;
      before.keySet().removeAll(members.keySet());
      return new Applied(Map.copyOf(before.keySet().stream().collect(
          java.util.stream.Collectors.toMap(s -> s, s -> "snapshot"))), false);
    }

    private Applied diff(JsonObject m) {
      boolean followed = Boolean.TRUE.equals(m.getBoolean("users")); // unnumbered: a large room's followed users
      boolean gap = !followed && m.getLong("seq") != seq + 1;
      if (gap) {
        gaps++;
        stale = true;
      }
      if (!followed) {
        seq = m.getLong("seq");
      }
      m.getJsonArray("joins").forEach(o -> members.put(((JsonObject) o).getString("session"), (JsonObject) o));
      m.getJsonArray("updates").forEach(o -> {
        JsonObject update = (JsonObject) o;
        JsonObject known = members.get(update.getString("session"));
        if (known != null) {
          known.mergeIn(update.copy().put("type", (Object) null));
        }
      });
      Map<String, String> left = new TreeMap<>();
      m.getJsonArray("leaves").forEach(o -> {
        JsonObject leave = (JsonObject) o;
        members.remove(leave.getString("session"));
        left.put(leave.getString("session"), String.valueOf(leave.getString("reason")));
      });
      return new Applied(left, gap);
    }

    /** @return true if the view lists {@code session} now */
    public boolean lists(String session) {
      return members.containsKey(session);
    }

    /** @return the sequence number of the last state or diff applied (-1 before the first state) */
    public long seq() {
      return seq;
    }

    /** @return true while a gap or a resync notice has not been followed by a fresh snapshot */
    public boolean stale() {
      return stale;
    }

    /** @return the view so far (a copy) */
    public WatchedRoom view() {
      Map<String, JsonObject> copy = new TreeMap<>();
      members.forEach((s, entry) -> copy.put(s, entry.copy()));
      return new WatchedRoom(room, Map.copyOf(copy), seq, gaps, matched, mismatched, counts, resyncs);
    }
  }

  /**
   * What one message did to a view.
   *
   * @param removed sessions it removed → the leave's reason ({@code "snapshot"} for members a snapshot dropped)
   * @param gap     true if it was a diff out of sequence: the view is stale until the next snapshot
   */
  public record Applied(Map<String, String> removed, boolean gap) {
    static final Applied NOTHING = new Applied(Map.of(), false);
  }
}
