package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.PagingPredicate;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyRecord;
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
 * {@link RoomOccupancyStore} on one Hazelcast IMap, {@link ClusterNames#ROOM_MAP}: room → {@link RoomOccupancyRecord}
 * (its counts and each user's session count there), kept as objects. Every write is one entry processor on the room's
 * key, every read a read-only one that answers the counts only ({@link RoomProcessors}); the prefix listing (no async
 * form in Hazelcast) runs on the Vert.x worker pool as a range on the map's sorted key index. Futures complete on the
 * caller's context. Thread-safe.
 */
public final class HazelcastRoomOccupancyStore implements RoomOccupancyStore {

  /**
   * Upper bound of the key range of a prefix: every name that starts with the prefix sorts at most the prefix
   * followed by U+FFFF (names compare by UTF-16 code unit; a supplementary letter's high surrogate is below it).
   */
  private static final char RANGE_END = '\uFFFF';

  private final Vertx vertx;
  private final IMap<String, RoomOccupancyRecord> map;
  private final com.hazelcast.partition.PartitionService partitions;
  private final StoreOperationCounter operations;

  /**
   * @param vertx      the Vert.x instance (contexts for completion, worker pool for queries)
   * @param hazelcast  the member
   * @param operations told of every map call
   */
  public HazelcastRoomOccupancyStore(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(ClusterNames.ROOM_MAP);
    this.partitions = hazelcast.getPartitionService();
    this.operations = operations;
  }

  private void count(String operation) {
    operations.count("rooms", operation);
  }

  /** One step: the room's place and its user's count, atomically against {@code maxMembers}. */
  @Override
  public Future<RoomAdmission> reserve(String room, String user, int maxMembers) {
    count("reserve");
    return ContextCompletion.onCallerContext(vertx, "reserve a place in a room",
        map.submitToKey(room, new RoomProcessors.Reserve(user, maxMembers)));
  }

  /** One step: the room's place and its user's count. */
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
    // One call per partition (PartitionedKeys); a room without a record has no result.
    return ContextCompletion.onCallerContext(vertx, "read room occupancies",
        PartitionedKeys.submitToKeys(partitions, map, rooms, RoomProcessors.ReadCounts.INSTANCE))
        .map(HazelcastRoomOccupancyStore::occupied);
  }

  /** @return the rooms that had a record (for a room without one, the processor answered null) */
  private static Map<String, RoomOccupancy> occupied(Map<String, RoomOccupancy> answers) {
    Map<String, RoomOccupancy> occupied = new java.util.HashMap<>();
    answers.forEach((room, counts) -> {
      if (counts != null) {
        occupied.put(room, counts);
      }
    });
    return occupied;
  }

  /**
   * The page's room names first (a range on the sorted key index, keys only), then their counts (a read-only
   * processor): a query for the values would serialize every record of the page, with all its users. A room vacated
   * between the two is left out of the page; the cursor still moves past it.
   */
  @Override
  public Future<RoomPage> list(String prefix, String after, int limit) {
    count("list_page");
    return ContextCompletion.blocking(vertx, "list rooms", () -> {
      Predicate<String, RoomOccupancyRecord> range = Predicates.and(
          Predicates.between("__key", prefix, prefix + RANGE_END), new RoomProcessors.NameAfter(after));
      PagingPredicate<String, RoomOccupancyRecord> page = Predicates.pagingPredicate(range,
          new RoomProcessors.ByName(), limit + 1);
      List<String> names = new ArrayList<>(map.keySet(page));
      names.sort(null);
      String next = names.size() > limit ? names.get(limit - 1) : null;
      List<String> shown = names.size() > limit ? names.subList(0, limit) : names;
      Map<String, RoomOccupancy> counts = shown.isEmpty() ? Map.of()
          : map.executeOnKeys(new java.util.HashSet<>(shown), RoomProcessors.ReadCounts.INSTANCE);
      List<RoomOccupancy> rooms = new ArrayList<>(shown.size());
      for (String room : shown) {
        RoomOccupancy occupancy = counts.get(room);
        if (occupancy != null) {
          rooms.add(occupancy);
        }
      }
      return new RoomPage(rooms, next);
    });
  }

  /** One step: counts and users rewritten from the recount, compare-and-set on the version. */
  @Override
  public Future<Optional<RoomOccupancy>> correct(RoomTally recount, long expectedVersion) {
    count("correct");
    return ContextCompletion.onCallerContext(vertx, "correct room occupancy",
        map.submitToKey(recount.room(), new RoomProcessors.Correct(recount, expectedVersion)))
        .map(Optional::ofNullable);
  }
}
