package dev.presence.testing;

import dev.presence.presence.LastSeenStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory {@link LastSeenStore}: what {@code HazelcastLastSeenStore} does to its IMap, on a {@link
 * ConcurrentHashMap} whose TTLs run on the given clock. A record keeps the later time in one atomic {@code
 * compute} (the entry processor). Futures complete on the caller's context after a hop through the store's own
 * thread ({@link OffThreadCompletion}). Thread-safe. Close it to stop that thread.
 */
public final class InMemoryLastSeenStore implements LastSeenStore, AutoCloseable {

  private final ConcurrentMap<String, Expiring<Long>> map = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final OffThreadCompletion completion;

  /**
   * @param vertx the Vert.x instance whose contexts receive the results
   * @param clock the clock TTLs run on
   */
  public InMemoryLastSeenStore(Vertx vertx, InstantSource clock) {
    this.clock = clock;
    this.completion = new OffThreadCompletion(vertx, "in-memory-last-seen-store");
  }

  @Override
  public Future<Void> record(String user, long at, long ttlMs) {
    return completion.run("record last seen", () -> {
      long now = clock.millis();
      map.compute(user, (key, stored) -> {
        long latest = Expiring.live(stored, now) ? Math.max(stored.value(), at) : at;
        return Expiring.of(latest, now, ttlMs);
      });
      return null;
    });
  }

  @Override
  public Future<OptionalLong> lastSeen(String user) {
    return completion.run("read last seen", () -> {
      Expiring<Long> stored = map.get(user);
      return Expiring.live(stored, clock.millis()) ? OptionalLong.of(stored.value()) : OptionalLong.empty();
    });
  }

  @Override
  public void close() {
    completion.close();
  }
}
