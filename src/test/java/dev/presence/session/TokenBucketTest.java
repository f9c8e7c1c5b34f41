package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

  @Test
  void cheap_items_take_a_fraction_and_free_ones_always_pass() {
    TokenBucket bucket = new TokenBucket(1, 1, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(bucket.tryTake(0.25, 0)).as("quarter %d", i).isTrue();
    }
    assertThat(bucket.tryTake(0.25, 0)).as("the token is spent").isFalse();
    assertThat(bucket.tryTake(0, 0)).as("a free item passes an empty bucket").isTrue();
    assertThat(bucket.tryTake(1, SECOND / 2)).as("half a token is not a whole one").isFalse();
    assertThat(bucket.tryTake(0.25, SECOND / 2)).as("but pays for a quarter").isTrue();
  }

  @Test
  void a_cost_above_the_capacity_is_a_bug() {
    TokenBucket bucket = new TokenBucket(2, 1, 0);
    assertThatIllegalArgumentException().isThrownBy(() -> bucket.tryTake(3, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> bucket.tryTake(-1, 0));
  }
}
