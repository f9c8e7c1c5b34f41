package dev.presence.testing;

import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyRecord;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.room.RoomPage;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomTally;
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
 * sorted concurrent map of {@link RoomOccupancyRecord}s. Every write is one atomic {@code compute} on the room's key
 * (the entry processor), applying the record's own rules. Futures
 * complete on the caller's context after a hop through the store's own thread ({@link OffThreadCompletion}).
 * Thread-safe. Close it to stop that thread.
 */
public final class InMemoryRoomOccupancyStore implements RoomOccupancyStore, AutoCloseable {

  private final ConcurrentSkipListMap<String, RoomOccupancyRecord> map = new ConcurrentSkipListMap<>();
  private final OffThreadCompletion completion;

  /** @param vertx the Vert.x instance whose contexts receive the results */
  public InMemoryRoomOccupancyStore(Vertx vertx) {
    this.completion = new OffThreadCompletion(vertx, "in-memory-room-store");
  }

  @Override
  public Future<RoomAdmission> reserve(String room, String user, int maxMembers) {
    return completion.run("reserve a place in a room", () -> {
      AtomicReference<RoomAdmission> result = new AtomicReference<>();
      map.compute(room, (key, stored) -> {
        RoomOccupancyRecord current = stored == null ? RoomOccupancyRecord.empty(room) : stored;
        RoomOccupancyRecord next = current.admit(user, maxMembers);
        if (next == null) {
          result.set(new RoomAdmission.Full(current.sessions()));
          return stored;
        }
        result.set(new RoomAdmission.Admitted(next.occupancy(), current.isEmpty()));
        return next;
      });
      return result.get();
    });
  }

  @Override
  public Future<RoomRelease> release(String room, String user) {
    return completion.run("release a place in a room", () -> {
      AtomicReference<RoomRelease> result = new AtomicReference<>(new RoomRelease(RoomOccupancy.empty(room), false));
      map.computeIfPresent(room, (key, stored) -> {
        RoomOccupancyRecord next = stored.release(user);
        result.set(new RoomRelease(next.occupancy(), next != stored && next.isEmpty()));
        return next.isEmpty() ? null : next;
      });
      return result.get();
    });
  }

  @Override
  public Future<Optional<RoomOccupancy>> get(String room) {
    return completion.run("read room occupancy", () -> Optional.ofNullable(map.get(room))
        .map(RoomOccupancyRecord::occupancy));
  }

  @Override
  public Future<Map<String, RoomOccupancy>> getAll(Set<String> rooms) {
    return completion.run("read room occupancies", () -> {
      Map<String, RoomOccupancy> found = new java.util.HashMap<>();
      rooms.forEach(room -> {
        RoomOccupancyRecord stored = map.get(room);
        if (stored != null) {
          found.put(room, stored.occupancy());
        }
      });
      return found;
    });
  }

  @Override
  public Future<RoomPage> list(String prefix, String after, int limit) {
    return completion.run("list rooms", () -> {
      List<RoomOccupancy> rooms = map.tailMap(prefix).values().stream()
          .map(RoomOccupancyRecord::occupancy)
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
        before.set(stored.occupancy());
        return recount.isEmpty() ? null : RoomOccupancyRecord.of(recount, stored.version() + 1);
      });
      return Optional.ofNullable(before.get());
    });
  }

  @Override
  public void close() {
    completion.close();
  }
}
