package dev.presence.testing;

import dev.presence.presence.SessionSlotStore;
import dev.presence.presence.SlotAdmission;
import dev.presence.presence.UserSessionSlots;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The in-memory {@link SessionSlotStore}: what {@code HazelcastSessionSlotStore} does to the session-slot
 * IMap, on a {@link ConcurrentHashMap}. Every change applies the same pure {@link UserSessionSlots} rule
 * inside one atomic {@code compute} on the user's key (the entry processor), and stores the value with the
 * map TTL the adapter writes (until its latest slot); a value whose TTL has passed on the store's clock counts
 * as absent. Futures complete on the caller's context after a hop through the store's own thread (see
 * {@link OffThreadCompletion}). Thread-safe. Close it to stop that thread.
 */
public final class InMemorySessionSlotStore implements SessionSlotStore, AutoCloseable {

  private final ConcurrentMap<String, Expiring<UserSessionSlots>> map = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final OffThreadCompletion completion;

  /**
   * @param vertx the Vert.x instance whose contexts receive the results
   * @param clock the clock map TTLs run on (the member's clock in Hazelcast)
   */
  public InMemorySessionSlotStore(Vertx vertx, InstantSource clock) {
    this.clock = clock;
    this.completion = new OffThreadCompletion(vertx, "in-memory-session-slot-store");
  }

  @Override
  public Future<SlotAdmission> acquire(String user, String session, String node, int maxSessions, long now,
      long ttlMs) {
    return completion.run("admit session slot", () -> {
      AtomicReference<SlotAdmission> outcome = new AtomicReference<>();
      update(user, now, current -> {
        UserSessionSlots.Admission admission = UserSessionSlots.admit(current, session, node, maxSessions, now,
            ttlMs);
        outcome.set(admission.outcome());
        return admission.next();
      });
      return outcome.get();
    });
  }

  @Override
  public Future<Boolean> release(String user, String session, long now) {
    return completion.run("release session slot", () -> {
      AtomicBoolean held = new AtomicBoolean();
      update(user, now, current -> {
        held.set(current != null && current.live(now).slots().containsKey(session));
        return UserSessionSlots.release(current, session, now);
      });
      return held.get();
    });
  }

  @Override
  public Future<Void> renewAll(Set<String> users, String node, long now, long ttlMs) {
    return completion.run("renew session slots", () -> {
      for (String user : users) {
        update(user, now, current -> current == null ? null : UserSessionSlots.renew(current, node, now, ttlMs));
      }
      return null;
    });
  }

  @Override
  public Future<Set<String>> liveSessions(String user, long now) {
    return completion.run("read session slots", () -> {
      Expiring<UserSessionSlots> stored = map.get(user);
      return Expiring.live(stored, clock.millis()) ? Set.copyOf(stored.value().live(now).slots().keySet())
          : Set.<String>of();
    });
  }

  @Override
  public void close() {
    completion.close();
  }

  /** One atomic change of a user's value; an empty result removes the entry, as the entry processor does. */
  private void update(String user, long now, UnaryOperator<UserSessionSlots> rule) {
    map.compute(user, (key, stored) -> {
      UserSessionSlots current = Expiring.live(stored, clock.millis()) ? stored.value() : null;
      UserSessionSlots next = rule.apply(current);
      if (next == null || next.isEmpty()) {
        return null;
      }
      return Expiring.of(next, clock.millis(), Math.max(1, next.latestExpiry() - now));
    });
  }
}
