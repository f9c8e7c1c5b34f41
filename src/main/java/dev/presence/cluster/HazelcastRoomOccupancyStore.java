package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.PagingPredicate;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.room.RoomPage;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomTally;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RoomOccupancyStore} on a Hazelcast IMap ({@link ClusterNames#ROOM_MAP}). Writes are entry processors on the
 * room's key; the prefix listing (no async form in Hazelcast) runs on the Vert.x worker pool as a range on the map's
 * sorted key index. Futures complete on the caller's context. Thread-safe.
 */
public final class HazelcastRoomOccupancyStore implements RoomOccupancyStore {

  /**
   * Upper bound of the key range of a prefix: every name that starts with the prefix sorts at most the prefix
   * followed by U+FFFF (names compare by UTF-16 code unit; a supplementary letter's high surrogate is below it).
   */
  private static final char RANGE_END = '\uFFFF';

  private final Vertx vertx;
  private final IMap<String, RoomTally> map;
  private final StoreOperationCounter operations;

  /**
   * @param vertx      the Vert.x instance (contexts for completion, worker pool for queries)
   * @param hazelcast  the member
   * @param operations told of every map call
   */
  public HazelcastRoomOccupancyStore(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(ClusterNames.ROOM_MAP);
    this.operations = operations;
  }

  private void count(String operation) {
    operations.count("rooms", operation);
  }

  @Override
  public Future<RoomAdmission> reserve(String room, String user, int maxMembers) {
    count("reserve");
    return ContextCompletion.onCallerContext(vertx, "reserve a place in a room",
        map.submitToKey(room, new RoomProcessors.Reserve(user, maxMembers)));
  }

  @Override
  public Future<RoomRelease> release(String room, String user) {
    count("release");
    return ContextCompletion.onCallerContext(vertx, "release a place in a room",
        map.submitToKey(room, new RoomProcessors.Release(user)));
  }

  @Override
  public Future<Optional<RoomOccupancy>> get(String room) {
    count("get");
    return ContextCompletion.onCallerContext(vertx, "read room occupancy",
        map.submitToKey(room, RoomProcessors.ReadCounts.INSTANCE)).map(Optional::ofNullable);
  }

  @Override
  public Future<Map<String, RoomOccupancy>> getAll(Set<String> rooms) {
    if (rooms.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    count("getAll");
    // One call, batched per partition owner; counts only, whatever the rooms' sizes. A room without a record has no
    // result.
    return ContextCompletion.onCallerContext(vertx, "read room occupancies",
        map.submitToKeys(rooms, RoomProcessors.ReadCounts.INSTANCE)).map(RoomsRead::occupied);
  }

  /** The rooms that had a record (a room without one is empty: the processor answered null for it). */
  private static final class RoomsRead {
    private RoomsRead() {
    }

    static Map<String, RoomOccupancy> occupied(Map<String, RoomOccupancy> answers) {
      Map<String, RoomOccupancy> occupied = new java.util.HashMap<>();
      answers.forEach((room, counts) -> {
        if (counts != null) {
          occupied.put(room, counts);
        }
      });
      return occupied;
    }
  }

  @Override
  public Future<RoomPage> list(String prefix, String after, int limit) {
    count("list_page");
    return ContextCompletion.blocking(vertx, "list rooms", () -> {
      Predicate<String, RoomTally> range = Predicates.and(
          Predicates.between("__key", prefix, prefix + RANGE_END), new RoomProcessors.NameAfter(after));
      PagingPredicate<String, RoomTally> page = Predicates.pagingPredicate(range, new RoomProcessors.ByName(),
          limit + 1);
      // Values, per-user maps included: a page of the listing, read rarely (an admin query, the recount's pass).
      List<RoomOccupancy> rooms = new ArrayList<>(map.values(page).stream().map(RoomTally::occupancy).toList());
      if (rooms.size() <= limit) {
        return new RoomPage(rooms, null);
      }
      List<RoomOccupancy> shown = rooms.subList(0, limit);
      return new RoomPage(shown, shown.get(limit - 1).room());
    });
  }

  @Override
  public Future<Optional<RoomOccupancy>> correct(RoomTally recount, long expectedVersion) {
    count("correct");
    return ContextCompletion.onCallerContext(vertx, "correct room occupancy",
        map.submitToKey(recount.room(), new RoomProcessors.Correct(recount, expectedVersion)))
        .map(Optional::ofNullable);
  }
}
