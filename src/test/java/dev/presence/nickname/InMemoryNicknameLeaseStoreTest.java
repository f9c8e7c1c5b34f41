package dev.presence.nickname;

import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;

/** The nickname lease contract against the in-memory store, whose TTLs run on the test's manual clock. */
class InMemoryNicknameLeaseStoreTest extends NicknameLeaseStoreContract {

  @Override
  protected NicknameLeaseStore createStore(Vertx vertx, MutableClock clock, long tombstoneTtlMs) {
    return new InMemoryNicknameLeaseStore(vertx, clock, tombstoneTtlMs);
  }

  @Override
  protected void passRealTime(long ms) {
    // TTLs run on the contract's clock, which the contract has just moved.
  }
}
