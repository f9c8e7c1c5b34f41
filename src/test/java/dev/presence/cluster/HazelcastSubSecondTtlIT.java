package dev.presence.cluster;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.PresenceConfig;
import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.presence.PresenceEntry;
import dev.presence.testing.EmbeddedHazelcast;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression: Hazelcast 5.3 stores an entry's expiration time in whole seconds rounded down
 * ({@code TimeStripUtil.stripBaseTime}; hazelcast/hazelcast#14697), so a millisecond TTL could end up to
 * 999 ms early, and at once for sub-second TTLs. The adapters add {@code ClusterNames.TTL_SLACK_MS}. Each
 * test writes just after a whole second, where the early expiry was deterministic.
 */
@ExtendWith(VertxExtension.class)
class HazelcastSubSecondTtlIT {

  @RegisterExtension
  static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();

  @Test
  void a_presence_entry_is_readable_right_after_a_put_with_a_500_ms_ttl(Vertx vertx) throws Exception {
    HazelcastPresenceStore store = new HazelcastPresenceStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
    PresenceEntry entry = new PresenceEntry("s-1", "alice", null, null, "node-a", 0, 0, 1);

    long writtenAt = justAfterAWholeSecond(300);
    call(vertx, () -> store.acquire(entry, 500));

    assertThat(call(vertx, () -> store.get("s-1")))
        .as("written at second+%d ms with a 500 ms TTL, read a few ms later", writtenAt % 1000)
        .isPresent();
  }

  @Test
  void a_live_session_survives_its_first_renewal_with_a_valid_sub_second_config(Vertx vertx) throws Exception {
    // PresenceConfig accepts these timings (the house style asks tests for heartbeats of 100-500 ms).
    PresenceConfig config = new PresenceConfig("127.0.0.1", 0, 300, 900, 900, 1_000, 4_096, 100, 1, 20_000,
        dev.presence.config.ClusterSettings.local("c", 5701, "127.0.0.1"), dev.presence.config.AuthSettings.none(),
        dev.presence.config.LimitSettings.defaults(), dev.presence.config.ActivitySettings.defaults());
    HazelcastPresenceStore store = new HazelcastPresenceStore(vertx, MEMBER.member(), StoreOperationCounter.NONE);
    long now = justAfterAWholeSecond(50);
    call(vertx, () -> store.acquire(new PresenceEntry("s-2", "alice", null, null, "node-a", now, now, 1),
        config.leaseTtlMs()));

    Thread.sleep(config.leaseRenewalPeriodMs());
    long renewedAt = System.currentTimeMillis();
    Set<String> missing = call(vertx,
        () -> store.renewAll(Set.of("s-2"), "node-a", renewedAt, config.leaseTtlMs()));

    assertThat(missing).as("renewed after %d ms of a %d ms lease", config.leaseRenewalPeriodMs(),
        config.leaseTtlMs()).isEmpty();
  }

  @Test
  void a_nickname_in_a_500_ms_grace_period_stays_reserved_for_its_user(Vertx vertx) throws Exception {
    HazelcastNicknameLeaseStore store =
        new HazelcastNicknameLeaseStore(vertx, MEMBER.member(), 5_000, StoreOperationCounter.NONE);
    long start = System.currentTimeMillis();
    call(vertx, () -> store.acquire("alice", "Alice", new NickHolder("s-a", "alice", "node-a"), start, 60_000));

    long now = justAfterAWholeSecond(300);
    assertThat(call(vertx, () -> store.enterGrace("alice", "s-a", now, 500))).isTrue();
    ClaimOutcome bob = call(vertx,
        () -> store.acquire("alice", "Alice", new NickHolder("s-b", "bob", "node-b"), now, 60_000));

    assertThat(bob).as("another user's claim at the very instant the grace period began")
        .isInstanceOf(ClaimOutcome.Taken.class);
  }

  /** Waits until the wall clock's millisecond part is below {@code withinMs}; returns the time. */
  private static long justAfterAWholeSecond(long withinMs) throws InterruptedException {
    while (System.currentTimeMillis() % 1_000 >= withinMs) {
      Thread.sleep(1);
    }
    return System.currentTimeMillis();
  }
}
