package dev.presence.session;

/**
 * The per-session message rate rule: a token bucket for messages (the burst passes, the sustained rate is the
 * refill rate) and a second one for refusals, so that a client refused more than {@code refusalsBeforeClose}
 * times within {@link #STRIKE_WINDOW_S} is judged abusive. Pure: time is a parameter (ns, monotonic).
 *
 * <p>Threading: not thread-safe; one session's guard lives on that session's event loop.
 */
public final class MessageRateGuard {

  /** The window (s) within which {@code refusalsBeforeClose} refused messages count as sustained abuse. */
  public static final int STRIKE_WINDOW_S = 10;

  /** What to do with one message. */
  public enum Verdict {
    /** Within the rate: handle it. */
    PASS,
    /** Over the rate: drop it and say {@code rate_limited}. */
    LIMITED,
    /** Over the rate again and again: close the session. */
    ABUSE
  }

  private final TokenBucket messages;
  private final TokenBucket refusals;

  /**
   * @param perSecond           sustained messages per second
   * @param burst               messages that may come at once
   * @param refusalsBeforeClose refused messages tolerated within {@link #STRIKE_WINDOW_S}
   * @param nowNanos            the current time (ns)
   */
  public MessageRateGuard(int perSecond, int burst, int refusalsBeforeClose, long nowNanos) {
    this.messages = new TokenBucket(burst, perSecond, nowNanos);
    this.refusals = new TokenBucket(refusalsBeforeClose, (double) refusalsBeforeClose / STRIKE_WINDOW_S, nowNanos);
  }

  /**
   * @param nowNanos the current time (ns)
   * @return the verdict on one more message now
   */
  public Verdict check(long nowNanos) {
    if (messages.tryTake(nowNanos)) {
      return Verdict.PASS;
    }
    return refusals.tryTake(nowNanos) ? Verdict.LIMITED : Verdict.ABUSE;
  }
}
