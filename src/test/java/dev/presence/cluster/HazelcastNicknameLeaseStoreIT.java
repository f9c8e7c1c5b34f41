package dev.presence.cluster;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.nickname.NicknameLeaseStoreContract;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nickname lease contract against {@link HazelcastNicknameLeaseStore} on one embedded member (shared by
 * the tests; its map is emptied before each). Map TTLs run on the member's real clock, so crossing one
 * sleeps.
 */
class HazelcastNicknameLeaseStoreIT extends NicknameLeaseStoreContract {

  @RegisterExtension
  static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();

  @Override
  protected NicknameLeaseStore createStore(Vertx vertx, MutableClock clock, long tombstoneTtlMs) {
    MEMBER.member().getMap(ClusterNames.NICKNAME_MAP).clear();
    return new HazelcastNicknameLeaseStore(vertx, MEMBER.member(), tombstoneTtlMs, StoreOperationCounter.NONE);
  }

  @Test
  void findByUser_is_answered_from_the_user_index_not_a_scan() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      NickHolder holder = new NickHolder("s-" + i, "user-" + (i % 5), "node-a");
      String key = "nick-" + i;
      call(vertx, () -> store.acquire(key, key, holder, now, 60_000));
    }
    IMap<String, NickLease> map = MEMBER.member().getMap(ClusterNames.NICKNAME_MAP);
    long indexedBefore = map.getLocalMapStats().getIndexedQueryCount();

    assertThat(call(vertx, () -> store.findByUser("user-3"))).extracting(NickLease::key)
        .containsExactlyInAnyOrder("nick-3", "nick-8", "nick-13", "nick-18");

    assertThat(map.getLocalMapStats().getIndexedQueryCount()).as("queries that used an index")
        .isEqualTo(indexedBefore + 1);
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
