package dev.presence.testing;

import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.presence.PresenceStores;
import io.vertx.core.Vertx;
import java.time.InstantSource;

/**
 * One node's cluster stores as the in-memory adapters, on the system clock, for unit tests of the domain services
 * ({@code PresenceService} and its parts) without a cluster. Close it (after the test) to stop their threads; the
 * Vert.x instance stays the test's.
 *
 * @param nicknames the nickname map (with its quorum and reachability switches)
 * @param presence  the presence map
 * @param slots     the session-slot map
 * @param lastSeen  the last-seen map
 * @param rooms     the room-occupancy map
 */
public record InMemoryStores(InMemoryNicknameLeaseStore nicknames, InMemoryPresenceStore presence,
    InMemorySessionSlotStore slots, InMemoryLastSeenStore lastSeen, InMemoryRoomOccupancyStore rooms)
    implements AutoCloseable {

  /**
   * @param vertx                   where the stores' futures complete
   * @param nicknameTombstoneTtlMs  how long a released nickname keeps its fencing token (ms)
   * @return fresh, empty stores
   */
  public static InMemoryStores on(Vertx vertx, long nicknameTombstoneTtlMs) {
    InstantSource clock = InstantSource.system();
    return new InMemoryStores(new InMemoryNicknameLeaseStore(vertx, clock, nicknameTombstoneTtlMs),
        new InMemoryPresenceStore(vertx, clock), new InMemorySessionSlotStore(vertx, clock),
        new InMemoryLastSeenStore(vertx, clock), new InMemoryRoomOccupancyStore(vertx));
  }

  /** @return the ports, as a node's services take them */
  public PresenceStores ports() {
    return ports(nicknames);
  }

  /**
   * @param nicknames a nickname store to use instead (a test's wrapper around {@link #nicknames()})
   * @return the ports, with that nickname store
   */
  public PresenceStores ports(NicknameLeaseStore nicknames) {
    return new PresenceStores(presence, nicknames, slots, lastSeen, rooms);
  }

  @Override
  public void close() {
    nicknames.close();
    presence.close();
    slots.close();
    lastSeen.close();
    rooms.close();
  }
}
