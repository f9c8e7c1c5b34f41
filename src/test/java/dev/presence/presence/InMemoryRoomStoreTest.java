package dev.presence.presence;

import dev.presence.room.RoomOccupancyStore;
import dev.presence.testing.InMemoryPresenceStore;
import dev.presence.testing.InMemoryRoomOccupancyStore;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;

/** The room contract against the in-memory stores. */
class InMemoryRoomStoreTest extends RoomStoreContract {

  @Override
  protected PresenceStore createStore(Vertx vertx, MutableClock clock) {
    return new InMemoryPresenceStore(vertx, clock);
  }

  @Override
  protected RoomOccupancyStore createRoomStore(Vertx vertx) {
    return new InMemoryRoomOccupancyStore(vertx);
  }
}
