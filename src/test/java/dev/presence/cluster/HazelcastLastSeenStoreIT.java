package dev.presence.cluster;

import dev.presence.presence.LastSeenStore;
import dev.presence.presence.LastSeenStoreContract;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The last-seen contract against {@link HazelcastLastSeenStore} on one embedded member. Map TTLs run on the
 * member's real clock, so the TTL test polls until Hazelcast drops the entry (about half a second).
 */
class HazelcastLastSeenStoreIT extends LastSeenStoreContract {

  @RegisterExtension
  static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();

  @Override
  protected LastSeenStore createStore(Vertx vertx, MutableClock clock) {
    MEMBER.member().getMap(ClusterNames.LAST_SEEN_MAP).clear();
    return new HazelcastLastSeenStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
  }

  @Override
  protected void letTimePass(long ms) {
    // Real time: the await in the test polls until the member's own TTL has removed the entry.
  }
}
