package dev.presence.cluster;

import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.PresenceStoreContract;
import dev.presence.presence.SessionSlotStore;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
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
