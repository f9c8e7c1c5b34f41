package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.address.ClientAddress;
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
    assertThat(limit.tryAcquire(ip("10.0.0.1"))).isTrue();
    assertThat(limit.tryAcquire(ip("10.0.0.1"))).isTrue();
    assertThat(limit.tryAcquire(ip("10.0.0.1"))).isFalse();
    assertThat(limit.tryAcquire(ip("10.0.0.2"))).as("another IP is not affected").isTrue();
    limit.release(ip("10.0.0.1"));
    assertThat(limit.tryAcquire(ip("10.0.0.1"))).isTrue();
    assertThat(limit.openFrom(ip("10.0.0.1"))).isEqualTo(2);
  }

  @Test
  void addresses_of_one_ipv6_64_share_a_count_and_another_64_has_its_own() {
    ConnectionsPerIp limit = new ConnectionsPerIp(2);
    assertThat(limit.tryAcquire(ip("2001:db8:1:2::1"))).isTrue();
    assertThat(limit.tryAcquire(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))).isTrue();
    assertThat(limit.tryAcquire(ip("2001:db8:1:2:ffff::9"))).as("a third address in the same /64").isFalse();
    assertThat(limit.tryAcquire(ip("2001:db8:1:3::1"))).as("the next /64 is another subscriber").isTrue();
    limit.release(ip("2001:db8:1:2::7")); // any address of the /64 frees one of its places
    assertThat(limit.openFrom(ip("2001:db8:1:2::"))).isEqualTo(1);
  }

  @Test
  void an_ipv4_mapped_address_counts_as_the_ipv4_address() {
    ConnectionsPerIp limit = new ConnectionsPerIp(1);
    assertThat(limit.tryAcquire(ip("192.0.2.1"))).isTrue();
    assertThat(limit.tryAcquire(ip("::ffff:192.0.2.1"))).isFalse();
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
        if (limit.tryAcquire(ip("10.0.0.9"))) {
          admitted.incrementAndGet();
        }
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(admitted).hasValue(100);
    assertThat(limit.openFrom(ip("10.0.0.9"))).isEqualTo(100);
  }

  private static ClientAddress ip(String literal) {
    return ClientAddress.parse(literal).orElseThrow();
  }
}
