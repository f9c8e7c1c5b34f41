package dev.presence.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity provider's keys, cached: every key of the set at once (so tokens of the old and the new key both
 * verify while the provider rotates), refetched only when a token names a {@code kid} the cache does not hold, and
 * then at most once per refresh interval ({@code PRESENCE_JWT_JWKS_REFRESH_MS}). A token with an unknown {@code kid}
 * waits for the one fetch in flight, or starts it if the last one began an interval ago or more, and is then
 * verified with whatever keys the node has; inside the interval it is verified (and refused) with the cached keys
 * at once. A fetch that fails is logged and changes nothing: the node goes on with the keys it has, so an identity
 * provider that is down stops no session whose token names a known key. A fetch that succeeds replaces the set:
 * a key the provider removed is no longer trusted after it.
 *
 * <p>Threading: called from every event loop that verifies tokens; fetches complete on the HTTP client's threads.
 * The keys are one volatile value, written by a fetch's completion before that fetch's future completes, so every
 * token that waited sees them; the last fetch is one atomic reference moved by compare-and-set, so two event loops
 * that meet an unknown {@code kid} together start one fetch, and none takes a lock. A waiting caller continues on its
 * own context ({@link Future#fromCompletionStage(java.util.concurrent.CompletionStage, Context)}), never on the HTTP
 * client's thread, since a session's state belongs to its event loop.
 */
final class JwksKeys implements TokenKeys {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  /**
   * The provider and the ids of the keys it holds, as one value, so a reader never pairs one set's ids with
   * another's provider.
   */
  private record Snapshot(JWTAuth provider, Set<String> kids) {
  }

  /**
   * A fetch: when it started (epoch ms) and the keys it leaves: the fetched ones, or the cached ones if it failed.
   */
  private record Fetch(long startedAtMs, CompletableFuture<Snapshot> done) {
  }

  private final Supplier<CompletableFuture<JwkSet>> fetcher;
  private final Function<JwkSet, JWTAuth> providers;
  private final InstantSource clock;
  private final long refreshMs;
  private final String source;
  private volatile Snapshot current;
  private final AtomicReference<Fetch> last;

  /**
   * @param fetcher   fetches the key set (asynchronously)
   * @param initial   the set fetched at start; counts as a fetch at {@code clock}'s current time
   * @param providers builds the vertx-auth-jwt provider holding a set's keys, with the node's claim checks
   * @param clock     wall clock
   * @param refreshMs least time between the starts of two fetches (ms)
   * @param source    where the keys come from, for the log
   */
  JwksKeys(Supplier<CompletableFuture<JwkSet>> fetcher, JwkSet initial, Function<JwkSet, JWTAuth> providers,
      InstantSource clock, long refreshMs, String source) {
    this.fetcher = fetcher;
    this.providers = providers;
    this.clock = clock;
    this.refreshMs = refreshMs;
    this.source = source;
    this.current = snapshot(initial);
    this.last = new AtomicReference<>(new Fetch(clock.millis(), CompletableFuture.completedFuture(current)));
  }

  @Override
  public Future<JWTAuth> forKid(String kid) {
    Snapshot keys = current;
    if (kid == null || keys.kids().contains(kid)) {
      return Future.succeededFuture(keys.provider());
    }
    CompletableFuture<Snapshot> refetched = refetch();
    Context caller = Vertx.currentContext();
    return (caller == null ? Future.fromCompletionStage(refetched) : Future.fromCompletionStage(refetched, caller))
        .map(Snapshot::provider);
  }

  /** @return the ids of the keys held now */
  Set<String> kids() {
    return current.kids();
  }

  /** @return the fetch in flight; else a new one if the last started at least an interval ago; else the cache */
  private CompletableFuture<Snapshot> refetch() {
    while (true) {
      Fetch seen = last.get();
      if (!seen.done().isDone()) {
        return seen.done();
      }
      long now = clock.millis();
      long sinceLast = now - seen.startedAtMs();
      // A wall clock stepped back (sinceLast < 0) must not block fetches until it catches up.
      if (sinceLast >= 0 && sinceLast < refreshMs) {
        return CompletableFuture.completedFuture(current); // read after seen completed: that fetch's keys
      }
      Fetch mine = new Fetch(now, new CompletableFuture<>());
      if (last.compareAndSet(seen, mine)) {
        start(mine);
        return mine.done();
      }
    }
  }

  private void start(Fetch fetch) {
    CompletableFuture<JwkSet> fetched;
    try {
      fetched = fetcher.get();
    } catch (RuntimeException e) {
      fetched = CompletableFuture.failedFuture(e);
    }
    fetched.whenComplete((set, failure) -> {
      try {
        if (failure == null) {
          current = snapshot(set);
          LOG.info("key set refetched from {} for a token with an unknown kid: kids {}", source, set.kids());
          set.skipped().forEach(line -> LOG.warn("key set {}: {} left out", source, line));
        } else {
          LOG.warn("key set refetch from {} failed ({}); keeping the cached kids {}", source,
              JwksClient.describe(failure), current.kids());
        }
      } catch (RuntimeException e) {
        LOG.warn("key set from {} not usable ({}); keeping the cached kids {}", source, e.toString(), current.kids());
      } finally {
        fetch.done().complete(current);
      }
    });
  }

  private Snapshot snapshot(JwkSet set) {
    return new Snapshot(providers.apply(set), set.kids());
  }
}
