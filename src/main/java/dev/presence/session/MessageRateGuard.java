package dev.presence.session;

/**
 * The per-session message rate rule: a token bucket for what the client sends (the burst passes, the sustained rate
 * is the refill rate) and a second one for refusals, so that a client refused more than {@code refusalsBeforeClose}
 * times within {@link #STRIKE_WINDOW_S} is judged abusive. The budget is counted in inbound WebSocket frames, each
 * weighed by what it costs the node ({@link Frame}): counting only whole text messages let a client send ping frames
 * and empty continuation frames without limit. Pure: time is a parameter (ns, monotonic).
 *
 * <p>Threading: not thread-safe; one session's guard lives on that session's event loop.
 */
public final class MessageRateGuard {

  /** The window (s) within which {@code refusalsBeforeClose} refused frames count as sustained abuse. */
  public static final int STRIKE_WINDOW_S = 10;

  /** What one inbound frame costs against the rate, in messages. */
  public enum Frame {
    /**
     * A text, continuation or binary frame, empty or not, final or not: one message. An unfragmented message is one
     * frame, so it costs what it always did; a message in k frames costs k (clients seldom fragment messages of at
     * most 4 KiB, and an empty non-final continuation frame would otherwise be a free frame, without end).
     */
    DATA(1),
    /**
     * A ping frame, or a pong the node did not ask for: a quarter of a message. Cheaper than a message, since it
     * needs no UTF-8 decoding, no JSON parsing or encoding and no request, but not free: Vert.x writes a pong for
     * every ping (its payload copied, up to 125 bytes) before we see it, and decoding and dispatching a frame costs
     * the event loop the same whatever is in it. A quarter means a ping flood is refused above four times the message
     * rate (80 frames/s by default) and closed after the same strikes as a text flood, while a client's own
     * keep-alive pings (one every few seconds at most, in the libraries that send them; browsers send none) use a few
     * percent of its budget at worst.
     */
    CONTROL(0.25),
    /**
     * A pong answering the node's own ping: free. The node sends one ping per heartbeat interval and only the first
     * pong after it is matched ({@link SessionLiveness#pong}), so these cannot be flooded; charging them would let
     * the node's own heartbeat push a client that is busy within its rate over the limit.
     */
    PONG_ANSWER(0);

    private final double cost;

    Frame(double cost) {
      this.cost = cost;
    }

    /** @return what this frame costs, in messages */
    public double cost() {
      return cost;
    }
  }

  /** What to do with one frame. */
  public enum Verdict {
    /** Within the rate: handle it. */
    PASS,
    /** Over the rate: drop it (a data frame: its whole message) and say {@code rate_limited}. */
    LIMITED,
    /** Over the rate again and again: close the session. */
    ABUSE
  }

  private final TokenBucket messages;
  private final TokenBucket refusals;

  /**
   * @param perSecond           sustained messages per second
   * @param burst               messages that may come at once
   * @param refusalsBeforeClose refused frames tolerated within {@link #STRIKE_WINDOW_S}
   * @param nowNanos            the current time (ns)
   */
  public MessageRateGuard(int perSecond, int burst, int refusalsBeforeClose, long nowNanos) {
    this.messages = new TokenBucket(burst, perSecond, nowNanos);
    this.refusals = new TokenBucket(refusalsBeforeClose, (double) refusalsBeforeClose / STRIKE_WINDOW_S, nowNanos);
  }

  /**
   * @param nowNanos the current time (ns)
   * @return the verdict on one more data frame (a message) now
   */
  public Verdict check(long nowNanos) {
    return check(Frame.DATA, nowNanos);
  }

  /**
   * @param frame    the kind of frame that arrived
   * @param nowNanos the current time (ns)
   * @return the verdict on it
   */
  public Verdict check(Frame frame, long nowNanos) {
    if (messages.tryTake(frame.cost(), nowNanos)) {
      return Verdict.PASS;
    }
    return refusals.tryTake(nowNanos) ? Verdict.LIMITED : Verdict.ABUSE;
  }
}
