package dev.presence.faults;

import dev.presence.testing.WatchedRoom;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One watcher session of the fault suite: a real WebSocket client that watches the scenario's rooms
 * ({@code subscribe} {@code rooms}, docs/protocol.md §12.1) without being a member, and folds what it receives as a
 * careful client does ({@link WatchedRoom.Folder}): on a sequence gap it subscribes to that room again and treats its
 * view as stale until the fresh {@code presence.state}. It notes when each member left its view, and every leave.
 *
 * <p>Threads: messages are folded on the socket's event loop; the scenario thread and the ghost watch read under
 * this object's lock.
 */
final class RoomWatcher {

  private final int port;
  private final Map<String, WatchedRoom.Folder> folders = new HashMap<>();
  /** room → session → epoch ms it last left the view; guarded by this. */
  private final Map<String, Map<String, Long>> removedAt = new HashMap<>();
  private final List<RoomLeave> leaves = new CopyOnWriteArrayList<>();
  private final Promise<Void> ready = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private volatile WebSocket socket;

  private RoomWatcher(int port, List<String> rooms) {
    this.port = port;
    rooms.forEach(room -> {
      folders.put(room, new WatchedRoom.Folder(room));
      removedAt.put(room, new HashMap<>());
    });
  }

  /**
   * Connects to the node on {@code port} as {@code user}, watches {@code rooms}.
   *
   * @return the watcher once it holds a snapshot of every room (failed if the connection or a snapshot failed)
   */
  static Future<RoomWatcher> start(HarnessClients clients, int port, String user, List<String> rooms) {
    RoomWatcher watcher = new RoomWatcher(port, rooms);
    return clients.connect(port).compose(ws -> {
      watcher.socket = ws;
      ws.textMessageHandler(watcher::onText);
      ws.exceptionHandler(e -> { /* the close handler ends it */ });
      ws.closeHandler(v -> {
        watcher.closed.tryComplete();
        watcher.ready.tryFail("watcher on " + port + " closed before its snapshots");
      });
      ws.writeTextMessage(new JsonObject().put("type", "hello").put("user", user).encode());
      ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray(rooms)).encode());
      return watcher.ready.future();
    }).map(v -> watcher);
  }

  private void onText(String text) {
    JsonObject message = new JsonObject(text);
    String room = message.getString("room");
    if (room == null) {
      return;
    }
    long now = System.currentTimeMillis();
    boolean resubscribe;
    synchronized (this) {
      WatchedRoom.Folder folder = folders.get(room);
      if (folder == null) {
        return;
      }
      WatchedRoom.Applied applied = folder.apply(message);
      Map<String, Long> removed = removedAt.get(room);
      applied.removed().forEach((session, reason) -> {
        removed.put(session, now);
        leaves.add(new RoomLeave(port, room, session, reason, now));
      });
      resubscribe = applied.gap();
      if (folders.values().stream().allMatch(f -> f.seq() >= 0)) {
        ready.tryComplete();
      }
    }
    if (resubscribe) {
      // A careful client's answer to a gap (§12.1): watching a watched room again sends a fresh snapshot.
      socket.writeTextMessage(new JsonObject().put("type", "subscribe").put("rooms", new JsonArray().add(room))
          .encode());
    }
  }

  /** @return the node's HTTP port */
  int port() {
    return port;
  }

  /** @return true once its socket closed (its node died or drained) */
  boolean isClosed() {
    return closed.future().isComplete();
  }

  /** @return its view of {@code room} now */
  synchronized WatchedRoom view(String room) {
    return folders.get(room).view();
  }

  /** @return true if a gap or a resync notice on {@code room} still awaits its fresh snapshot */
  synchronized boolean stale(String room) {
    return folders.get(room).stale();
  }

  /**
   * @param session a member
   * @return epoch ms it last left this watcher's view of any room, or 0 if it never did; {@code null} while any of
   *     its views still lists it
   */
  synchronized Long goneSince(String session) {
    long latest = 0;
    for (Map.Entry<String, WatchedRoom.Folder> room : folders.entrySet()) {
      if (room.getValue().lists(session)) {
        return null;
      }
      latest = Math.max(latest, removedAt.get(room.getKey()).getOrDefault(session, 0L));
    }
    return latest;
  }

  /** @return every removal it saw, in order */
  List<RoomLeave> leaves() {
    return new ArrayList<>(leaves);
  }

  /** Closes its socket (without waiting). */
  void close() {
    if (socket != null && !isClosed()) {
      socket.close();
    }
  }
}
