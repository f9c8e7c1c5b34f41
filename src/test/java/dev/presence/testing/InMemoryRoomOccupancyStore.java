package dev.presence.testing;

import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.room.RoomPage;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomTally;
import dev.presence.room.RoomUserCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-memory {@link RoomOccupancyStore}: what {@code HazelcastRoomOccupancyStore} does to the occupancy IMap, on a
 * sorted concurrent map. Every write is one atomic {@code compute} on the room's key (the entry processor). Futures
 * complete on the caller's context after a hop through the store's own thread ({@link OffThreadCompletion}).
 * Thread-safe. Close it to stop that thread.
 */
public final class InMemoryRoomOccupancyStore implements RoomOccupancyStore, AutoCloseable {

  private final ConcurrentSkipListMap<String, RoomOccupancy> map = new ConcurrentSkipListMap<>();
  /** room → each user's sessions there (the per-user counts map), with the same rules as the cluster's. */
  private final Map<String, RoomUserCounts> userCounts = new java.util.concurrent.ConcurrentHashMap<>();
  private final OffThreadCompletion completion;

  /** @param vertx the Vert.x instance whose contexts receive the results */
  public InMemoryRoomOccupancyStore(Vertx vertx) {
    this.completion = new OffThreadCompletion(vertx, "in-memory-room-store");
  }

  @Override
  public Future<RoomAdmission> reserve(String room, String user, int maxMembers) {
    return completion.run("reserve a place in a room", () -> {
      int sessionsOfUser = addSession(room, user);
      AtomicReference<RoomAdmission> result = new AtomicReference<>();
      map.compute(room, (key, stored) -> {
        RoomOccupancy current = stored == null ? RoomOccupancy.empty(room) : stored;
        RoomOccupancy next = current.admit(sessionsOfUser == 1, maxMembers);
        if (next == null) {
          result.set(new RoomAdmission.Full(current.sessions()));
          return stored;
        }
        result.set(new RoomAdmission.Admitted(next, current.isEmpty()));
        return next;
      });
      if (result.get() instanceof RoomAdmission.Full) {
        removeSession(room, user);
      }
      return result.get();
    });
  }

  @Override
  public Future<RoomRelease> release(String room, String user) {
    return completion.run("release a place in a room", () -> {
      int sessionsOfUser = removeSession(room, user);
      AtomicReference<RoomRelease> result = new AtomicReference<>(new RoomRelease(RoomOccupancy.empty(room), false));
      map.computeIfPresent(room, (key, stored) -> {
        if (sessionsOfUser < 0) {
          result.set(new RoomRelease(stored, false));
          return stored;
        }
        RoomOccupancy next = stored.release(sessionsOfUser == 0);
        result.set(new RoomRelease(next, next.isEmpty()));
        return next.isEmpty() ? null : next;
      });
      return result.get();
    });
  }

  private int addSession(String room, String user) {
    return userCounts.compute(room, (r, counts) -> (counts == null ? RoomUserCounts.empty() : counts).add(user))
        .sessionsOf(user);
  }

  /** @return the user's sessions in the room after, or -1 if it had none counted */
  private int removeSession(String room, String user) {
    AtomicReference<Integer> after = new AtomicReference<>(-1);
    userCounts.computeIfPresent(room, (r, counts) -> {
      if (counts.sessionsOf(user) == 0) {
        return counts;
      }
      RoomUserCounts next = counts.remove(user);
      after.set(next.sessionsOf(user));
      return next.isEmpty() ? null : next;
    });
    return after.get();
  }

  @Override
  public Future<Optional<RoomOccupancy>> get(String room) {
    return completion.run("read room occupancy", () -> Optional.ofNullable(map.get(room)));
  }

  @Override
  public Future<Map<String, RoomOccupancy>> getAll(Set<String> rooms) {
    return completion.run("read room occupancies", () -> {
      Map<String, RoomOccupancy> found = new java.util.HashMap<>();
      rooms.forEach(room -> {
        RoomOccupancy occupancy = map.get(room);
        if (occupancy != null) {
          found.put(room, occupancy);
        }
      });
      return found;
    });
  }

  @Override
  public Future<RoomPage> list(String prefix, String after, int limit) {
    return completion.run("list rooms", () -> {
      List<RoomOccupancy> rooms = map.tailMap(prefix).values().stream()
          .takeWhile(o -> o.room().startsWith(prefix))
          .filter(o -> after == null || o.room().compareTo(after) > 0)
          .limit(limit + 1L)
          .toList();
      if (rooms.size() <= limit) {
        return new RoomPage(rooms, null);
      }
      List<RoomOccupancy> shown = rooms.subList(0, limit);
      return new RoomPage(shown, shown.get(limit - 1).room());
    });
  }

  @Override
  public Future<Optional<RoomOccupancy>> correct(RoomTally recount, long expectedVersion) {
    return completion.run("correct room occupancy", () -> {
      AtomicReference<RoomOccupancy> before = new AtomicReference<>();
      map.computeIfPresent(recount.room(), (key, stored) -> {
        if (stored.version() != expectedVersion) {
          return stored;
        }
        before.set(stored);
        return recount.isEmpty() ? null
            : new RoomOccupancy(key, recount.sessions(), recount.users(), stored.version() + 1);
      });
      if (before.get() != null) {
        if (recount.perUser().isEmpty()) {
          userCounts.remove(recount.room());
        } else {
          userCounts.put(recount.room(), RoomUserCounts.of(recount.perUser()));
        }
      }
      return Optional.ofNullable(before.get());
    });
  }

  @Override
  public void close() {
    completion.close();
  }
}
