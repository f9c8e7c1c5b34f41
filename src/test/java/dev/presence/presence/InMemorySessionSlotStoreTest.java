package dev.presence.presence;

import dev.presence.testing.InMemorySessionSlotStore;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;

/** The session-slot contract against the in-memory store, whose map TTLs run on the test's manual clock. */
class InMemorySessionSlotStoreTest extends SessionSlotStoreContract {

  @Override
  protected SessionSlotStore createStore(Vertx vertx, MutableClock clock) {
    return new InMemorySessionSlotStore(vertx, clock);
  }
}
