package dev.presence.presence;

import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.InMemoryPresenceStore;
import dev.presence.testing.InMemorySessionSlotStore;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;

/** The presence contract against the in-memory store, whose TTLs run on the test's manual clock. */
class InMemoryPresenceStoreTest extends PresenceStoreContract {

  @Override
  protected PresenceStore createStore(Vertx vertx, MutableClock clock) {
    return new InMemoryPresenceStore(vertx, clock);
  }

  @Override
  protected NicknameLeaseStore createNicknameStore(Vertx vertx, MutableClock clock) {
    return new InMemoryNicknameLeaseStore(vertx, clock, 5_000);
  }

  @Override
  protected SessionSlotStore createSlotStore(Vertx vertx, MutableClock clock) {
    return new InMemorySessionSlotStore(vertx, clock);
  }

  @Override
  protected void passRealTime(long ms) {
    // TTLs run on the contract's clock, which the contract has just moved.
  }
}
