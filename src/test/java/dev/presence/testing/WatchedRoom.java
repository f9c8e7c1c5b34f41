package dev.presence.testing;

import dev.presence.presence.RoomFeed;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client's view of one watched room, folded from the messages it received (docs/protocol.md §12.1), as a
 * careful client keeps it: {@code presence.state} replaces the view, each {@code presence.diff} must carry the next
 * sequence number (a gap is counted), {@code presence.digest} is checked against the view when its {@code seq} is
 * the view's, {@code presence.counts} switches to counts. Immutable result of {@link #of}; any thread.
 *
 * @param room             the room
 * @param members          session → its last known entry (empty in counts mode)
 * @param seq              the sequence number of the last state or diff applied (-1 before the first state)
 * @param gaps             diffs whose {@code seq} was not the previous one plus one
 * @param digestsMatched   digests that equalled the view's
 * @param digestMismatches digests that did not
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
    Map<String, JsonObject> members = new TreeMap<>();
    long seq = -1;
    int gaps = 0;
    int matched = 0;
    int mismatched = 0;
    int resyncs = 0;
    JsonObject counts = null;
    for (JsonObject m : messages) {
      if (!room.equals(m.getString("room"))) {
        continue;
      }
      switch (m.getString("type")) {
        case "presence.state" -> {
          members.clear();
          m.getJsonArray("sessions").forEach(o -> members.put(((JsonObject) o).getString("session"), (JsonObject) o));
          seq = m.getLong("seq");
          counts = null;
        }
        case "presence.diff" -> {
          if (m.getLong("seq") != seq + 1) {
            gaps++;
          }
          seq = m.getLong("seq");
          m.getJsonArray("joins").forEach(o -> members.put(((JsonObject) o).getString("session"), (JsonObject) o));
          m.getJsonArray("leaves").forEach(o -> members.remove(((JsonObject) o).getString("session")));
          m.getJsonArray("updates").forEach(o -> {
            JsonObject update = (JsonObject) o;
            JsonObject known = members.get(update.getString("session"));
            if (known != null) {
              known.mergeIn(update.copy().put("type", (Object) null));
            }
          });
        }
        case "presence.digest" -> {
          if (m.getLong("seq") == seq) {
            if (RoomFeed.digestOf(members.keySet()).equals(m.getString("digest"))) {
              matched++;
            } else {
              mismatched++;
            }
          }
        }
        case "presence.counts" -> {
          counts = m;
          members.clear();
        }
        case "presence.resync" -> resyncs++;
        default -> {
        }
      }
    }
    return new WatchedRoom(room, Map.copyOf(members), seq, gaps, matched, mismatched, counts, resyncs);
  }

  /** @return the member session ids */
  public java.util.Set<String> sessions() {
    return members.keySet();
  }
}
