package dev.presence.session;

/**
 * A token bucket (the classic rate limiter): holds at most {@code capacity} tokens, refilled continuously at
 * {@code perSecond}; each message takes one, or a given cost. Bursts up to the capacity pass, the sustained rate is
 * the refill rate. Pure: time is a parameter (ns from any monotonic origin, e.g. {@link System#nanoTime()}).
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
    return tryTake(1, nowNanos);
  }

  /**
   * Takes {@code cost} tokens if the bucket holds that many; a cost of 0 always passes and takes nothing.
   *
   * @param cost     tokens this item costs (0 to the capacity; a fraction for cheap items)
   * @param nowNanos the current time (ns), not before the previous call's
   * @return true if taken (the item may pass), false if the bucket holds less than {@code cost} (nothing taken)
   */
  public boolean tryTake(double cost, long nowNanos) {
    if (!(cost >= 0) || cost > capacity) {
      throw new IllegalArgumentException("cost must be between 0 and the capacity, was " + cost);
    }
    long elapsed = Math.max(0, nowNanos - refilledAt);
    tokens = Math.min(capacity, tokens + elapsed * perNano);
    refilledAt = nowNanos;
    if (tokens >= cost) {
      tokens -= cost;
      return true;
    }
    return false;
  }
}
