package dev.presence.transport;

import dev.presence.session.TokenBucket;

/**
 * Whether a session's {@code who} or {@code subscribe} may run (docs/protocol.md §11.2): {@code subscribe} to
 * {@code all} needs a role, and both spend a budget of their own, apart from the message rate. Each reads many
 * entries from the cluster and may answer a megabyte to a 14-byte request, so the message rate alone (20 a second)
 * would let one session have the cluster read 20 megabytes a second for it. Pure: time is a parameter (ns,
 * monotonic).
 *
 * <p>Threading: not thread-safe; one session's admission lives on that session's event loop.
 */
final class QueryAdmission {

  /** What to do with one request. */
  enum Verdict {
    /** Queue it (also every request that is neither {@code who} nor {@code subscribe}). */
    ADMITTED,
    /** {@code subscribe} to {@code all} without the role: answer {@code forbidden}, drop it. */
    FORBIDDEN,
    /** Over the query budget: answer {@code rate_limited} naming the budget, drop it; the session goes on. */
    RATE_LIMITED
  }

  private final TokenBucket queries;

  /**
   * @param perSecond sustained {@code who} and {@code subscribe} requests per second
   * @param burst     how many may come at once
   * @param nowNanos  the current time (ns)
   */
  QueryAdmission(int perSecond, int burst, long nowNanos) {
    this.queries = new TokenBucket(burst, perSecond, nowNanos);
  }

  /**
   * @param message     a request other than hello, ping, refresh and bye
   * @param mayWatchAll whether the session may subscribe to {@code all}
   * @param nowNanos    the current time (ns)
   * @return the verdict; a forbidden request spends no budget (it reads nothing)
   */
  Verdict admit(ClientMessage message, boolean mayWatchAll, long nowNanos) {
    if (message instanceof ClientMessage.Subscribe subscribe && subscribe.users() == null && !mayWatchAll) {
      return Verdict.FORBIDDEN;
    }
    if (!(message instanceof ClientMessage.Who || message instanceof ClientMessage.Subscribe
        || message instanceof ClientMessage.WatchRooms)) {
      return Verdict.ADMITTED;
    }
    return queries.tryTake(nowNanos) ? Verdict.ADMITTED : Verdict.RATE_LIMITED;
  }
}
