package dev.presence.testing;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeasePolicy;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.store.ClusterStoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The in-memory {@link NicknameLeaseStore}: what {@code HazelcastNicknameLeaseStore} and its entry processors
 * do to the nickname IMap, on a {@link ConcurrentHashMap}. Each operation applies one {@link NickLeasePolicy}
 * rule inside one atomic {@code compute} on the nickname's key, to the stored lease exactly as the entry
 * processor sees it (an expired-but-not-yet-forgotten lease is judged by the policy with the caller's
 * {@code now}); a written lease gets its remaining lifetime ({@code expiresAt - now}, at least 1 ms) as its
 * map TTL, and a map entry whose TTL has passed on the store's clock counts as absent (lazy expiry). Futures
 * complete on the caller's context after a hop through the store's own thread (see
 * {@link OffThreadCompletion}). Without the quorum ({@link #quorum(boolean)}) every call fails at once with
 * {@link ClusterStoreException#noQuorum}, as the adapter's split-brain protection refuses it; while unreachable
 * ({@link #reachable(boolean)}) every call fails as a call to a cut-off partition owner does. Thread-safe. Close it
 * to stop that thread.
 */
public final class InMemoryNicknameLeaseStore implements NicknameLeaseStore, AutoCloseable {

  private final ConcurrentMap<String, Expiring<NickLease>> map = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final long tombstoneTtlMs;
  private final OffThreadCompletion completion;
  private volatile boolean quorum = true;
  private volatile boolean reachable = true;

  /**
   * @param vertx          the Vert.x instance whose contexts receive the results
   * @param clock          the clock map TTLs run on (the member's clock in Hazelcast)
   * @param tombstoneTtlMs how long a released nickname's entry keeps its fencing token (ms)
   */
  public InMemoryNicknameLeaseStore(Vertx vertx, InstantSource clock, long tombstoneTtlMs) {
    this.clock = clock;
    this.tombstoneTtlMs = tombstoneTtlMs;
    this.completion = new OffThreadCompletion(vertx, "in-memory-nickname-store");
  }

  @Override
  public Future<ClaimOutcome> acquire(String key, String nick, NickHolder claimant, long now, long leaseTtlMs) {
    return run("claim nickname", () -> {
      AtomicReference<ClaimOutcome> outcome = new AtomicReference<>();
      update(key, now, current -> {
        outcome.set(NickLeasePolicy.claim(current, key, nick, claimant, now, leaseTtlMs));
        return outcome.get() instanceof ClaimOutcome.Granted granted ? granted.lease() : null;
      });
      return outcome.get();
    });
  }

  @Override
  public Future<ClaimOutcome> reclaim(String key, String nick, NickHolder claimant, long now, long leaseTtlMs) {
    return run("reclaim nickname", () -> {
      AtomicReference<ClaimOutcome> outcome = new AtomicReference<>();
      update(key, now, current -> {
        outcome.set(NickLeasePolicy.reclaim(current, key, nick, claimant, now, leaseTtlMs));
        return outcome.get() instanceof ClaimOutcome.Granted granted ? granted.lease() : null;
      });
      return outcome.get();
    });
  }

  @Override
  public Future<Boolean> release(String key, String session, long now) {
    return run("release nickname",
        () -> update(key, now, current -> NickLeasePolicy.release(current, session, now, tombstoneTtlMs)) != null);
  }

  @Override
  public Future<Boolean> enterGrace(String key, String session, long now, long graceMs) {
    return run("reserve nickname for grace period",
        () -> update(key, now, current -> NickLeasePolicy.enterGrace(current, session, now, graceMs)) != null);
  }

  /** A filter over every live entry: what the Hazelcast adapter's indexed query returns, without the index. */
  @Override
  public Future<List<NickLease>> findByUser(String user) {
    return run("find nickname leases of user", () -> {
      long storeNow = clock.millis();
      return map.values().stream().filter(stored -> Expiring.live(stored, storeNow)).map(Expiring::value)
          .filter(lease -> lease.holder().user().equals(user)).toList();
    });
  }

  @Override
  public Future<Map<String, NickLease>> renewAll(Set<String> keys, String node, long now, long leaseTtlMs) {
    return run("renew nickname leases", () -> {
      Map<String, NickLease> renewed = new HashMap<>();
      for (String key : keys) {
        NickLease lease = update(key, now, current -> NickLeasePolicy.renew(current, node, now, leaseTtlMs));
        if (lease != null) {
          renewed.put(key, lease);
        }
      }
      return renewed;
    });
  }

  @Override
  public Future<Optional<NickLease>> get(String key) {
    return run("read nickname lease", () -> {
      Expiring<NickLease> stored = map.get(key);
      return Optional.ofNullable(Expiring.live(stored, clock.millis()) ? stored.value() : null);
    });
  }

  /**
   * Sets whether this store's side of the cluster has the nickname quorum (split-brain protection). Any thread.
   *
   * @param present false: every later call fails with {@link ClusterStoreException#noQuorum}
   */
  public void quorum(boolean present) {
    quorum = present;
  }

  /**
   * Sets whether the map answers: unreachable, every later call fails with a {@link ClusterStoreException} that is
   * not a quorum refusal (as Hazelcast's call timeout, wrapped). Any thread.
   *
   * @param answers false: every later call fails
   */
  public void reachable(boolean answers) {
    reachable = answers;
  }

  @Override
  public void close() {
    completion.close();
  }

  private <T> Future<T> run(String operation, Supplier<T> task) {
    if (!quorum) {
      return Future.failedFuture(ClusterStoreException.noQuorum(operation));
    }
    if (!reachable) {
      return Future.failedFuture(new ClusterStoreException(operation,
          new TimeoutException("the partition owner did not answer"), false));
    }
    return completion.run(operation, task);
  }

  /**
   * One entry processor run: atomically applies {@code rule} to the live lease (or null) and stores what it
   * returns with the lease's remaining lifetime as TTL; a null from the rule leaves the entry unchanged.
   *
   * @return the lease the rule wrote, or null
   */
  private NickLease update(String key, long now, UnaryOperator<NickLease> rule) {
    AtomicReference<NickLease> written = new AtomicReference<>();
    map.compute(key, (k, stored) -> {
      Expiring<NickLease> live = Expiring.live(stored, clock.millis()) ? stored : null;
      NickLease next = rule.apply(live == null ? null : live.value());
      if (next == null) {
        return live;
      }
      written.set(next);
      return Expiring.of(next, clock.millis(), Math.max(1, next.expiresAt() - now));
    });
    return written.get();
  }
}
