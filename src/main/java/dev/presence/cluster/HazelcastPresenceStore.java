package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.PagingPredicate;
import com.hazelcast.query.Predicates;
import dev.presence.presence.MembershipWrite;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresencePage;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.RestoreResult;
import dev.presence.presence.ResumeOutcome;
import dev.presence.presence.SessionStatus;
import dev.presence.room.RoomMembership;
import dev.presence.session.ResumeTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link PresenceStore} on a Hazelcast IMap. Single-key writes are async map calls or entry processors;
 * the batched renewal is one {@code submitToKeys} call; queries (no async form in Hazelcast) run on the
 * Vert.x worker pool. Futures complete on the caller's context. Thread-safe.
 */
public final class HazelcastPresenceStore implements PresenceStore {

  private final Vertx vertx;
  private final IMap<String, PresenceEntry> map;
  private final com.hazelcast.partition.PartitionService partitions;
  private final StoreOperationCounter operations;

  /**
   * @param vertx     the Vert.x instance (contexts for completion, worker pool for queries)
   * @param hazelcast the member
   * @param operations told of every map call
   */
  public HazelcastPresenceStore(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(ClusterNames.PRESENCE_MAP);
    this.partitions = hazelcast.getPartitionService();
    this.operations = operations;
  }

  private void count(String operation) {
    operations.count("sessions", operation);
  }

  @Override
  public Future<Void> acquire(PresenceEntry entry, long ttlMs) {
    count("put");
    return ContextCompletion.onCallerContext(vertx, "store presence entry",
        map.setAsync(entry.session(), entry, ttlMs + ClusterNames.TTL_SLACK_MS, TimeUnit.MILLISECONDS));
  }

  @Override
  public Future<Set<String>> renewAll(Set<String> sessions, String node, long now, long ttlMs) {
    if (sessions.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    count("renew_batch");
    return ContextCompletion.onCallerContext(vertx, "renew presence leases",
        PartitionedKeys.submitToKeys(partitions, map, sessions, new PresenceProcessors.Renew(node, now, ttlMs)))
        .map(results -> {
          Set<String> missing = new HashSet<>();
          for (String session : sessions) {
            if (!Boolean.TRUE.equals(results.get(session))) {
              missing.add(session);
            }
          }
          return missing;
        });
  }

  @Override
  public Future<RestoreResult> restore(PresenceEntry entry, long ttlMs) {
    count("restore");
    return ContextCompletion.onCallerContext(vertx, "restore presence entry",
        map.submitToKey(entry.session(), new PresenceProcessors.Restore(entry, ttlMs)))
        .map(code -> RestoreResult.values()[code]);
  }

  @Override
  public Future<Boolean> setNick(String session, String nick, String nickKey) {
    count("set_nick");
    return ContextCompletion.onCallerContext(vertx, "set nickname on presence entry",
        map.submitToKey(session, new PresenceProcessors.SetNick(nick, nickKey)));
  }

  @Override
  public Future<Optional<PresenceEntry>> setStatus(String session, SessionStatus status) {
    count("set_status");
    return ContextCompletion.onCallerContext(vertx, "set status on presence entry",
        map.submitToKey(session, new PresenceProcessors.SetStatus(status)))
        .map(before -> Optional.ofNullable(before).map(e -> e.withStatus(status)));
  }

  @Override
  public Future<Optional<PresenceEntry>> hold(String session, long until, long ttlMs) {
    count("hold");
    return ContextCompletion.onCallerContext(vertx, "hold presence entry as suspect",
        map.submitToKey(session, new PresenceProcessors.Hold(until, ttlMs))).map(Optional::ofNullable);
  }

  @Override
  public Future<ResumeOutcome> resume(ResumeTokens.Claim claim, String node, long now, long ttlMs) {
    count("resume");
    return ContextCompletion.onCallerContext(vertx, "resume presence entry",
        map.submitToKey(claim.session(), new PresenceProcessors.Resume(claim, node, now, ttlMs)));
  }

  @Override
  public Future<Optional<PresenceEntry>> removeIfHeld(String session, long until) {
    count("remove_if_suspect");
    return ContextCompletion.onCallerContext(vertx, "end a suspect hold",
        map.submitToKey(session, new PresenceProcessors.RemoveIfHeld(until))).map(Optional::ofNullable);
  }

  @Override
  public Future<Optional<PresenceEntry>> remove(String session) {
    count("remove");
    return ContextCompletion.onCallerContext(vertx, "remove presence entry", map.removeAsync(session))
        .map(Optional::ofNullable);
  }

  @Override
  public Future<Boolean> removeIfUnchanged(String session, long expectedVersion) {
    count("remove_if_unchanged");
    return ContextCompletion.onCallerContext(vertx, "remove stale presence entry",
        map.submitToKey(session, new PresenceProcessors.RemoveIfUnchanged(expectedVersion)));
  }

  /** A range query on the presence map's sorted {@code lastRenewedAt} index ({@link HazelcastConfigFactory}). */
  @Override
  public Future<List<PresenceEntry>> findStale(long lastRenewedBefore) {
    return query("find stale sessions", Predicates.lessThan(ClusterNames.PRESENCE_RENEWED_ATTRIBUTE,
        lastRenewedBefore));
  }

  /** An equality query on the presence map's {@code node} index. */
  @Override
  public Future<List<PresenceEntry>> findByNode(String node) {
    return query("find sessions of node", Predicates.equal(ClusterNames.PRESENCE_NODE_ATTRIBUTE, node));
  }

  /** An equality query on the presence map's {@code user} index. */
  @Override
  public Future<List<PresenceEntry>> findByUser(String user) {
    return query("find sessions of user", Predicates.equal(ClusterNames.PRESENCE_USER_ATTRIBUTE, user));
  }

  /**
   * One query on the presence map's {@code user} index ({@link HazelcastConfigFactory} adds it): Hazelcast looks
   * each user up in the index on every member instead of deserializing and testing every entry, once per user.
   */
  @Override
  public Future<List<PresenceEntry>> findByUsers(Set<String> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    count("query_users");
    com.hazelcast.query.Predicate<String, PresenceEntry> ofUsers =
        Predicates.in(ClusterNames.PRESENCE_USER_ATTRIBUTE, users.toArray(new String[0]));
    return ContextCompletion.blocking(vertx, "find sessions of users", () -> new ArrayList<>(map.values(ofUsers)));
  }

  @Override
  public Future<Optional<PresenceEntry>> get(String session) {
    count("get");
    return ContextCompletion.onCallerContext(vertx, "read presence entry", map.getAsync(session))
        .map(Optional::ofNullable);
  }

  @Override
  public Future<PresencePage> list(String after, int limit) {
    count("list_page");
    return ContextCompletion.blocking(vertx, "list presence", () -> {
      // One more than asked tells whether another page exists without counting the map.
      PagingPredicate<String, PresenceEntry> page = Predicates.pagingPredicate(
          new PresenceQueries.KeyAfter(after), new PresenceQueries.ByKey(), limit + 1);
      List<PresenceEntry> entries = new ArrayList<>(map.values(page));
      if (entries.size() <= limit) {
        return new PresencePage(entries, null);
      }
      List<PresenceEntry> shown = new ArrayList<>(entries.subList(0, limit));
      return new PresencePage(shown, shown.get(limit - 1).session());
    });
  }

  @Override
  public Future<MembershipWrite> joinRoom(String session, String room, RoomMembership membership, int maxRooms) {
    count("join_room");
    return ContextCompletion.onCallerContext(vertx, "write room membership",
        map.submitToKey(session, new PresenceProcessors.JoinRoom(room, membership, maxRooms)))
        .map(code -> MembershipWrite.values()[code]);
  }

  @Override
  public Future<Boolean> setRoomNick(String session, String room, String nick, String nickKey, String expectedKey) {
    count("set_room_nick");
    return ContextCompletion.onCallerContext(vertx, "write room nickname",
        map.submitToKey(session, new PresenceProcessors.SetRoomNick(room, nick, nickKey, expectedKey)));
  }

  @Override
  public Future<Optional<PresenceEntry>> leaveRoom(String session, String room) {
    count("leave_room");
    return ContextCompletion.onCallerContext(vertx, "remove room membership",
        map.submitToKey(session, new PresenceProcessors.LeaveRoom(room))).map(Optional::ofNullable);
  }

  @Override
  public Future<PresencePage> listRoom(String room, String after, int limit) {
    count("list_room");
    return ContextCompletion.blocking(vertx, "list room members", () -> {
      // The equality on the indexed attribute selects the room's entries; the cursor filters those only.
      com.hazelcast.query.Predicate<String, PresenceEntry> inRoom = Predicates.and(
          Predicates.equal(RoomsExtractor.ATTRIBUTE, room), new PresenceQueries.KeyAfter(after));
      PagingPredicate<String, PresenceEntry> page = Predicates.pagingPredicate(inRoom, new PresenceQueries.ByKey(),
          limit + 1);
      return PresencePage.of(new ArrayList<>(map.values(page)), limit);
    });
  }

  private Future<List<PresenceEntry>> query(String operation,
      com.hazelcast.query.Predicate<String, PresenceEntry> predicate) {
    count("query");
    return ContextCompletion.blocking(vertx, operation, () -> new ArrayList<>(map.values(predicate)));
  }
}
