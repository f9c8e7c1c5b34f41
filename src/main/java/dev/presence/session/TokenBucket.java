package dev.presence.session;

/**
 * A token bucket (the classic rate limiter): holds at most {@code capacity} tokens, refilled continuously at
 * {@code perSecond}; each message takes one. Bursts up to the capacity pass, the sustained rate is the refill
 * rate. Pure: time is a parameter (ns from any monotonic origin, e.g. {@link System#nanoTime()}).
 *
 * <p>Threading: not thread-safe; one session's bucket lives on that session's event loop.
 */
public final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long refilledAt;

  /**
   * A full bucket.
   *
   * @param capacity  most tokens held (the burst), at least 1
   * @param perSecond tokens added per second, above 0
   * @param nowNanos  the current time (ns)
   */
  public TokenBucket(int capacity, double perSecond, long nowNanos) {
    if (capacity < 1 || !(perSecond > 0)) {
      throw new IllegalArgumentException("capacity must be >= 1 and perSecond > 0");
    }
    this.capacity = capacity;
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.tokens = capacity;
    this.refilledAt = nowNanos;
  }

  /**
   * Takes one token if there is one.
   *
   * @param nowNanos the current time (ns), not before the previous call's
   * @return true if a token was taken (the message may pass), false if the bucket is empty
   */
  public boolean tryTake(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - refilledAt);
    tokens = Math.min(capacity, tokens + elapsed * perNano);
    refilledAt = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
