package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rate limiter: a burst up to the capacity passes, then the sustained rate is the refill rate. */
class TokenBucketTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void a_full_bucket_lets_a_burst_through_then_refuses() {
    TokenBucket bucket = new TokenBucket(3, 1, 0);
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(0)).isFalse();
  }

  @Test
  void tokens_come_back_at_the_refill_rate_and_never_beyond_the_capacity() {
    TokenBucket bucket = new TokenBucket(2, 4, 0);
    bucket.tryTake(0);
    bucket.tryTake(0);
    assertThat(bucket.tryTake(SECOND / 8)).as("half a token after 125 ms").isFalse();
    assertThat(bucket.tryTake(SECOND / 4 + SECOND / 8)).as("a whole one after 250 ms more").isTrue();
    long later = 100 * SECOND;
    assertThat(bucket.tryTake(later)).isTrue();
    assertThat(bucket.tryTake(later)).isTrue();
    assertThat(bucket.tryTake(later)).as("capacity 2 after a long idle time").isFalse();
  }

  @Test
  void a_steady_sender_at_the_rate_is_never_refused() {
    TokenBucket bucket = new TokenBucket(1, 10, 0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(bucket.tryTake(i * SECOND / 10)).isTrue();
    }
  }
}
