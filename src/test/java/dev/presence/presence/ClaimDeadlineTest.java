package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.nickname.NicknameRules;
import dev.presence.testing.ContextCalls;
import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.InMemoryStores;
import dev.presence.testing.RecordingPresenceChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A claim the nickname map does not answer (its partition owner is cut off) is answered
 * {@code nick_unavailable} after {@link PresenceService#CLAIM_DEADLINE_MS}, not after Hazelcast's minute-long
 * call timeout; if it is granted later after all, the lease is released at once, so nobody is left holding a
 * nickname its session was told it did not get.
 */
class ClaimDeadlineTest {

  private final Vertx vertx = Vertx.vertx();
  private final InMemoryStores stores = InMemoryStores.on(vertx, 60_000);
  private final InMemoryNicknameLeaseStore leases = stores.nicknames();
  private final StalledClaims stalled = new StalledClaims(leases);
  private final PresenceService service = new PresenceService(stores.ports(stalled), 10,
      new RecordingPresenceChannel(), InstantSource.system(), "node-a", 30_000, 60_000, 3, 600_000,
      PresenceMetrics.NONE, 10_000, 100);

  @AfterEach
  void close() {
    stores.close();
    vertx.close().await();
  }

  @Test
  void an_unanswered_claim_is_refused_after_the_deadline_and_released_if_granted_late() {
    Context context = vertx.getOrCreateContext();
    ContextCalls.call(vertx, () -> service.join("s1", "alice"));
    long started = System.nanoTime();

    CompletableFuture<NickChange> answer = ContextCalls.start(context,
        () -> service.claimNick("s1", "alice", "Alice", null));
    NickChange change = ContextCalls.join(answer);

    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(change).isEqualTo(new NickChange.Rejected("nick_unavailable",
        "the cluster did not answer within 2000 ms; nicknames cannot be changed here now"));
    assertThat(waitedMs).isBetween(PresenceService.CLAIM_DEADLINE_MS, PresenceService.CLAIM_DEADLINE_MS + 3_000);

    stalled.letClaimsThrough(context);

    // The lease key is the rule's comparison form of "Alice", not a spelling of it.
    String key = ((NicknameCheck.Valid) NicknameRules.check("Alice")).key();
    Awaitility.await("the late grant is released").atMost(Duration.ofSeconds(10)).until(() -> {
      Optional<NickLease> lease = ContextCalls.call(vertx, () -> leases.get(key));
      return lease.isPresent() && lease.get().isFree(System.currentTimeMillis());
    });
    ClaimOutcome bob = ContextCalls.call(vertx, () -> leases.acquire(key, "Alice", new NickHolder("s2", "bob",
        "node-a"), System.currentTimeMillis(), 30_000));
    assertThat(bob).isInstanceOf(ClaimOutcome.Granted.class);
  }

  /** Holds every claim until {@link #letClaimsThrough}; everything else goes straight to the real store. */
  private static final class StalledClaims implements NicknameLeaseStore {
    private final NicknameLeaseStore store;
    private final Promise<Void> gate = Promise.promise();

    StalledClaims(NicknameLeaseStore store) {
      this.store = store;
    }

    void letClaimsThrough(Context context) {
      context.runOnContext(v -> gate.complete());
    }

    @Override
    public Future<ClaimOutcome> acquire(String key, String nick, NickHolder claimant, long now, long leaseTtlMs) {
      return gate.future().compose(v -> store.acquire(key, nick, claimant, now, leaseTtlMs));
    }

    @Override
    public Future<ClaimOutcome> reclaim(String key, String nick, NickHolder claimant, long now, long leaseTtlMs) {
      return store.reclaim(key, nick, claimant, now, leaseTtlMs);
    }

    @Override
    public Future<Boolean> release(String key, String session, long now) {
      return store.release(key, session, now);
    }

    @Override
    public Future<Boolean> enterGrace(String key, String session, long now, long graceMs) {
      return store.enterGrace(key, session, now, graceMs);
    }

    @Override
    public Future<List<NickLease>> findByUser(String user) {
      return store.findByUser(user);
    }

    @Override
    public Future<Map<String, NickLease>> renewAll(Set<String> keys, String node, long now, long leaseTtlMs) {
      return store.renewAll(keys, node, now, leaseTtlMs);
    }

    @Override
    public Future<Optional<NickLease>> get(String key) {
      return store.get(key);
    }
  }
}
