package dev.presence.cluster;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.RoomStoreContract;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The room contract against {@link HazelcastPresenceStore} and {@link HazelcastRoomOccupancyStore} on one embedded
 * member configured by {@link HazelcastConfigFactory} (so with its room index), plus the proof that a room lookup
 * is answered by the index rather than a scan.
 */
class HazelcastRoomStoreIT extends RoomStoreContract {

  @RegisterExtension
  static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();

  @Override
  protected PresenceStore createStore(Vertx vertx, MutableClock clock) {
    MEMBER.member().getMap(ClusterNames.PRESENCE_MAP).clear();
    return new HazelcastPresenceStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
  }

  @Override
  protected RoomOccupancyStore createRoomStore(Vertx vertx) {
    MEMBER.member().getMap(ClusterNames.ROOM_MAP).clear();
    return new HazelcastRoomOccupancyStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
  }

  @Test
  void a_room_lookup_is_answered_by_the_room_index_not_a_scan() {
    PresenceEntry alice = PresenceEntry.joined("s-1", "alice", "node-a", clock.millis());
    call(vertx, () -> store.acquire(alice, 60_000));
    call(vertx, () -> store.joinRoom("s-1", "#general", new RoomMembership(clock.millis(), null), 10));
    IMap<String, PresenceEntry> map = MEMBER.member().getMap(ClusterNames.PRESENCE_MAP);
    long hitsBefore = roomIndexHits(map);

    assertThat(call(vertx, () -> store.listRoom("#general", null, 10)).entries()).hasSize(1);

    assertThat(roomIndexHits(map)).as("hits of the index on the entries' room names").isGreaterThan(hitsBefore);
  }

  /** Hazelcast names the index after the map, its type and the attribute: presence.sessions_hash_rooms. */
  private static long roomIndexHits(IMap<String, PresenceEntry> map) {
    return map.getLocalMapStats().getIndexStats().get(ClusterNames.PRESENCE_MAP + "_hash_" + RoomsExtractor.ATTRIBUTE)
        .getHitCount();
  }
}
