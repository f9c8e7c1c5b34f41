package dev.presence.cluster;

import dev.presence.presence.SessionSlotStore;
import dev.presence.presence.SessionSlotStoreContract;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session-slot contract against {@link HazelcastSessionSlotStore} on one embedded member (shared by the
 * tests; the map is emptied before each). Map TTLs run on the member's real clock, so the idle-user test
 * waits (polling) for Hazelcast to drop the entry.
 */
class HazelcastSessionSlotStoreIT extends SessionSlotStoreContract {

  @RegisterExtension
  static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();

  @Override
  protected SessionSlotStore createStore(Vertx vertx, MutableClock clock) {
    MEMBER.member().getMap(ClusterNames.SESSION_SLOT_MAP).clear();
    return new HazelcastSessionSlotStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
  }
}
