package dev.presence.presence;

import dev.presence.testing.InMemoryLastSeenStore;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;

/** The last-seen contract against the in-memory store, whose TTLs run on the test's manual clock. */
class InMemoryLastSeenStoreTest extends LastSeenStoreContract {

  @Override
  protected LastSeenStore createStore(Vertx vertx, MutableClock clock) {
    return new InMemoryLastSeenStore(vertx, clock);
  }

  @Override
  protected void letTimePass(long ms) {
    clock.advance(ms);
  }
}
