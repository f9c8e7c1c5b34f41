package dev.presence.presence;

import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.room.RoomTally;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Repairs room occupancy counters that drifted from the memberships on the presence entries (docs/consistency.md,
 * "Rooms"): a node lost between a join's two writes or an end's two writes, a failed release, or a merge. Each run
 * reads every occupancy record (a page at a time) and recounts its room from the room index; a room whose counters
 * differ is corrected only if the next run finds the same difference at the same record version: a join or leave in
 * flight between the two writes moves the version on (or finishes within milliseconds), so only a difference that
 * stood still for a whole period is drift. The correction itself is compare-and-set on that version, so a join that
 * lands meanwhile is never overwritten, and two nodes running it at once correct a room once.
 *
 * <p>Cost: one indexed read per occupied room per run, never a scan of the sessions; run it on one node (the
 * maintenance verticle of the node with the smallest id) at a period much longer than the renewal's.
 *
 * <p>Threading: call {@link #run} from one Vert.x context, one run at a time; its state (the suspicions of the
 * previous run) is confined to that context.
 */
public final class RoomRecount {

  /** Rooms read per page of the occupancy map. */
  static final int PAGE = 500;

  private final PresenceStore presence;
  private final RoomOccupancyStore rooms;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final String node;
  /** Room → the version and recount of a difference seen by the previous run. */
  private Map<String, Suspicion> suspicions = new HashMap<>();

  /**
   * @param stores  the cluster maps' ports
   * @param channel where a {@code room.vacated} caused by a correction is published
   * @param clock   wall clock (epoch ms)
   * @param node    this node's id
   */
  public RoomRecount(PresenceStores stores, PresenceChannel channel, InstantSource clock, String node) {
    this.presence = stores.presence();
    this.rooms = stores.rooms();
    this.channel = channel;
    this.clock = clock;
    this.node = node;
  }

  /** A difference between a room's counters (at {@code version}) and its recount. */
  private record Suspicion(long version, RoomTally recount) {
  }

  /**
   * One pass over every occupied room.
   *
   * @return the number of rooms corrected; failed with {@code ClusterStoreException} if a store failed (the rooms
   *     not reached wait for the next run)
   */
  public Future<Integer> run() {
    Map<String, Suspicion> seen = new HashMap<>();
    return page(null, seen, 0).onComplete(done -> suspicions = seen);
  }

  private Future<Integer> page(String after, Map<String, Suspicion> seen, int corrected) {
    return rooms.list("", after, PAGE).compose(page -> {
      Future<Integer> chain = Future.succeededFuture(corrected);
      for (RoomOccupancy counted : page.rooms()) {
        chain = chain.compose(n -> check(counted, seen).map(fixed -> fixed ? n + 1 : n));
      }
      return page.next() == null ? chain : chain.compose(n -> page(page.next(), seen, n));
    });
  }

  private Future<Boolean> check(RoomOccupancy counted, Map<String, Suspicion> seen) {
    return recount(counted.room()).compose(recount -> {
      // Counts are compared, not who holds them: a drift that leaves both counts right shows nowhere, and the first
      // join or leave it would make wrong makes the counts differ, which the next two runs correct.
      if (recount.sessions() == counted.sessions() && recount.users() == counted.users()) {
        return Future.succeededFuture(false);
      }
      Suspicion before = suspicions.get(counted.room());
      if (before == null || before.version() != counted.version() || !before.recount().equals(recount)) {
        seen.put(counted.room(), new Suspicion(counted.version(), recount));
        return Future.succeededFuture(false);
      }
      return rooms.correct(recount, counted.version()).map(corrected -> {
        if (corrected.isPresent() && recount.isEmpty()) {
          channel.publish(PresenceEvent.roomVacated(counted.room(), node, clock.millis()));
        }
        return corrected.isPresent();
      });
    });
  }

  /** Counts a room's sessions per user from the room index, a page at a time. */
  private Future<RoomTally> recount(String room) {
    return presence.listWholeRoom(room)
        .map(members -> RoomTally.ofSessions(room, members.stream().map(PresenceEntry::user).toList()));
  }
}
