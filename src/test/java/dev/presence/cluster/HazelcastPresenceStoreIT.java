package dev.presence.cluster;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.PresenceStoreContract;
import dev.presence.presence.SessionSlotStore;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The presence contract against {@link HazelcastPresenceStore} on one embedded member (shared by the
 * tests; its maps are emptied before each). TTLs run on the member's real clock, so crossing one sleeps.
 */
class HazelcastPresenceStoreIT extends PresenceStoreContract {

  @RegisterExtension
  static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();

  @Override
  protected PresenceStore createStore(Vertx vertx, MutableClock clock) {
    MEMBER.member().getMap(ClusterNames.PRESENCE_MAP).clear();
    return new HazelcastPresenceStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
  }

  @Override
  protected NicknameLeaseStore createNicknameStore(Vertx vertx, MutableClock clock) {
    MEMBER.member().getMap(ClusterNames.NICKNAME_MAP).clear();
    return new HazelcastNicknameLeaseStore(vertx, MEMBER.member(), 5_000, StoreOperationCounter.NONE);
  }

  @Override
  protected SessionSlotStore createSlotStore(Vertx vertx, MutableClock clock) {
    MEMBER.member().getMap(ClusterNames.SESSION_SLOT_MAP).clear();
    return new HazelcastSessionSlotStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
  }

  @Test
  void findByUsers_is_answered_from_the_user_index_not_a_scan() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      PresenceEntry entry = new PresenceEntry("s-" + i, "user-" + i, null, null, "node-a", now, now, 1);
      call(vertx, () -> store.acquire(entry, LONG_TTL_MS));
    }
    IMap<String, PresenceEntry> map = MEMBER.member().getMap(ClusterNames.PRESENCE_MAP);
    long indexedBefore = map.getLocalMapStats().getIndexedQueryCount();

    assertThat(call(vertx, () -> store.findByUsers(Set.of("user-3", "user-7")))).extracting(PresenceEntry::session)
        .containsExactlyInAnyOrder("s-3", "s-7");

    assertThat(map.getLocalMapStats().getIndexedQueryCount()).as("queries that used an index")
        .isEqualTo(indexedBefore + 1);
  }

  @Test
  void the_sweep_the_user_view_and_member_loss_read_indexes_not_every_entry() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      // s-0..s-4 last renewed long ago (stale), on node-b; the rest fresh, on node-a.
      PresenceEntry entry = new PresenceEntry("s-" + i, "user-" + (i % 10), null, null, i < 5 ? "node-b" : "node-a",
          now, i < 5 ? now - 60_000 : now, 1);
      call(vertx, () -> store.acquire(entry, LONG_TTL_MS));
    }
    IMap<String, PresenceEntry> map = MEMBER.member().getMap(ClusterNames.PRESENCE_MAP);
    long indexedBefore = map.getLocalMapStats().getIndexedQueryCount();

    assertThat(call(vertx, () -> store.findStale(now - 30_000))).extracting(PresenceEntry::session)
        .containsExactlyInAnyOrder("s-0", "s-1", "s-2", "s-3", "s-4");
    assertThat(call(vertx, () -> store.findByUser("user-3"))).extracting(PresenceEntry::session)
        .containsExactlyInAnyOrder("s-3", "s-13");
    assertThat(call(vertx, () -> store.findByNode("node-b"))).extracting(PresenceEntry::session)
        .containsExactlyInAnyOrder("s-0", "s-1", "s-2", "s-3", "s-4");

    assertThat(map.getLocalMapStats().getIndexedQueryCount()).as("each of the three queries used an index")
        .isEqualTo(indexedBefore + 3);
  }

  @Override
  protected void passRealTime(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
