package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-IP connection count: exact under concurrent accepts from several event loops, freed on close. */
class ConnectionsPerIpTest {

  @Test
  void an_ip_gets_at_most_max_and_a_close_frees_one() {
    ConnectionsPerIp limit = new ConnectionsPerIp(2);
    assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
    assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
    assertThat(limit.tryAcquire("10.0.0.1")).isFalse();
    assertThat(limit.tryAcquire("10.0.0.2")).as("another IP is not affected").isTrue();
    limit.release("10.0.0.1");
    assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
    assertThat(limit.openFrom("10.0.0.1")).isEqualTo(2);
  }

  @Test
  void concurrent_accepts_never_exceed_the_limit() throws Exception {
    ConnectionsPerIp limit = new ConnectionsPerIp(100);
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < 1_000; i++) {
      pool.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (limit.tryAcquire("10.0.0.9")) {
          admitted.incrementAndGet();
        }
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(admitted).hasValue(100);
    assertThat(limit.openFrom("10.0.0.9")).isEqualTo(100);
  }
}
