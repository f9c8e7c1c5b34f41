package dev.presence.cluster;

import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.nickname.NicknameLeaseStoreContract;
import dev.presence.testing.EmbeddedHazelcast;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
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
