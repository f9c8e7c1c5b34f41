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
import dev.presence.room.RoomUserCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RoomOccupancyStore} on two Hazelcast IMaps keyed by room name, so a room's two records share its partition:
 * the rooms' counts ({@link ClusterNames#ROOM_MAP}) and each user's session count in the room ({@link
 * ClusterNames#ROOM_USER_MAP}, one {@link RoomUserCounts} per room, kept as objects). Writes are entry processors on
 * the room's key; the prefix listing (no async form in Hazelcast) runs on the Vert.x worker pool as a range on the
 * counts map's sorted key index. Futures complete on the caller's context. Thread-safe.
 */
public final class HazelcastRoomOccupancyStore implements RoomOccupancyStore {

  /**
   * Upper bound of the key range of a prefix: every name that starts with the prefix sorts at most the prefix
   * followed by U+FFFF (names compare by UTF-16 code unit; a supplementary letter's high surrogate is below it).
   */
  private static final char RANGE_END = '\uFFFF';

  private final Vertx vertx;
  private final IMap<String, RoomOccupancy> map;
  private final IMap<String, RoomUserCounts> userCounts;
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
    this.userCounts = hazelcast.getMap(ClusterNames.ROOM_USER_MAP);
    this.partitions = hazelcast.getPartitionService();
    this.operations = operations;
  }

  private void count(String operation) {
    operations.count("rooms", operation);
  }

  /**
   * Two O(1) steps: the user's session count in the room (which says whether the user is new to it), then the room's
   * place, atomically against {@code maxMembers}. A full room gives the count back. A node lost between the steps
   * leaves a count one off, which the recount repairs (docs/consistency.md, "Rooms").
   */
  @Override
  public Future<RoomAdmission> reserve(String room, String user, int maxMembers) {
    count("reserve");
    return ContextCompletion.onCallerContext(vertx, "count a user's sessions in a room",
        userCounts.submitToKey(room, new RoomProcessors.AddSession(user))).compose(sessionsOfUser ->
        ContextCompletion.onCallerContext(vertx, "reserve a place in a room",
            map.submitToKey(room, new RoomProcessors.Reserve(sessionsOfUser == 1, maxMembers)))).compose(admission -> {
              if (admission instanceof RoomAdmission.Admitted) {
                return Future.succeededFuture(admission);
              }
              return ContextCompletion.onCallerContext(vertx, "give a user's session count in a room back",
                  userCounts.submitToKey(room, new RoomProcessors.RemoveSession(user))).map(admission);
            });
  }

  /** The user's session count in the room first (which says whether the user leaves it), then the room's place. */
  @Override
  public Future<RoomRelease> release(String room, String user) {
    count("release");
    return ContextCompletion.onCallerContext(vertx, "count a user's sessions in a room",
        userCounts.submitToKey(room, new RoomProcessors.RemoveSession(user)))
        .compose(sessionsOfUser -> ContextCompletion.onCallerContext(vertx, "release a place in a room",
            map.submitToKey(room, new RoomProcessors.Release(sessionsOfUser >= 0, sessionsOfUser == 0))));
  }

  @Override
  public Future<Optional<RoomOccupancy>> get(String room) {
    count("get");
    return ContextCompletion.onCallerContext(vertx, "read room occupancy", map.getAsync(room))
        .map(Optional::ofNullable);
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

  @Override
  public Future<RoomPage> list(String prefix, String after, int limit) {
    count("list_page");
    return ContextCompletion.blocking(vertx, "list rooms", () -> {
      Predicate<String, RoomOccupancy> range = Predicates.and(
          Predicates.between("__key", prefix, prefix + RANGE_END), new RoomProcessors.NameAfter(after));
      PagingPredicate<String, RoomOccupancy> page = Predicates.pagingPredicate(range, new RoomProcessors.ByName(),
          limit + 1);
      List<RoomOccupancy> rooms = new ArrayList<>(map.values(page));
      if (rooms.size() <= limit) {
        return new RoomPage(rooms, null);
      }
      List<RoomOccupancy> shown = rooms.subList(0, limit);
      return new RoomPage(shown, shown.get(limit - 1).room());
    });
  }

  /**
   * The counts first (compare-and-set on the version); if they were corrected, the room's per-user counts are replaced
   * with the recount's. A join landing between the two may be counted twice or not at all; the recount finds that at
   * its next runs.
   */
  @Override
  public Future<Optional<RoomOccupancy>> correct(RoomTally recount, long expectedVersion) {
    count("correct");
    String room = recount.room();
    return ContextCompletion.onCallerContext(vertx, "correct room occupancy",
        map.submitToKey(room, new RoomProcessors.Correct(recount.sessions(), recount.users(), expectedVersion)))
        .compose(before -> before == null ? Future.succeededFuture(Optional.<RoomOccupancy>empty())
            : ContextCompletion.onCallerContext(vertx, "rewrite a room's per-user session counts",
                userCounts.submitToKey(room, new RoomProcessors.ReplaceCounts(recount.perUser())))
                .map(replaced -> Optional.of(before)));
  }
}
