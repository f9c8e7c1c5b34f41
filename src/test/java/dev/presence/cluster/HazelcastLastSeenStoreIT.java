package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.presence.presence.LastSeenStore;
import dev.presence.presence.LastSeenStoreContract;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The last-seen contract against {@link HazelcastLastSeenStore} on one embedded member. Map TTLs run on the
 * member's real clock, so the TTL test polls until Hazelcast drops the entry (about half a second).
 */
class HazelcastLastSeenStoreIT extends LastSeenStoreContract {

  private static HazelcastInstance member;

  @BeforeAll
  static void startMember() {
    member = EmbeddedHazelcast.start();
  }

  @AfterAll
  static void stopMember() {
    if (member != null) {
      member.shutdown();
    }
  }

  @Override
  protected LastSeenStore createStore(Vertx vertx, MutableClock clock) {
    member.getMap(ClusterNames.LAST_SEEN_MAP).clear();
    return new HazelcastLastSeenStore(vertx, member, StoreOperationCounter.NONE);
  }

  @Override
  protected void letTimePass(long ms) {
    // Real time: the await in the test polls until the member's own TTL has removed the entry.
  }
}
