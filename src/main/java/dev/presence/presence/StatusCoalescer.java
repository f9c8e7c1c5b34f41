package dev.presence.presence;

import java.util.Optional;

/**
 * One session's status publishes, at most one per {@code minIntervalMs} (docs/protocol.md §11.3). A status set
 * within the interval after the last publish is held back; a later one within the same interval replaces it; the
 * held one is published when the interval ends. So the last value always wins and is always published, and a client
 * sending 20 statuses a second with a kilobyte of meta each reaches every subscriber of the cluster once a second
 * instead of 20 times. Pure: no I/O and no clock; every method takes {@code now} (ms on a monotonic clock), so a
 * test crosses the interval by passing {@code t + interval}.
 *
 * <pre>
 *   IDLE --offer, interval over--> IDLE (publish now)
 *   IDLE --offer, within the interval--> PENDING (schedule a flush at flushDueAt)
 *   PENDING --offer--> PENDING (replaced)
 *   PENDING --takeDue, due--> IDLE (publish the pending one)
 * </pre>
 *
 * <p>Threading: not thread-safe; owned by the session's event loop.
 */
public final class StatusCoalescer {

  /** What the caller must do after {@link #offer}. */
  public enum Offer {
    /** Write and publish this status now. */
    PUBLISH_NOW,
    /** Held back: schedule a flush at {@link #flushDueAt()}, then call {@link #takeDue}. */
    SCHEDULE_FLUSH,
    /** Replaced the status already held back; its flush is scheduled already. */
    REPLACED
  }

  private final long minIntervalMs;
  private boolean publishedOnce;
  private long lastPublishAt;
  private SessionStatus pending;

  /** @param minIntervalMs least time (ms) between two publishes, at least 1 */
  public StatusCoalescer(long minIntervalMs) {
    if (minIntervalMs < 1) {
      throw new IllegalArgumentException("the interval must be at least 1 ms, was " + minIntervalMs);
    }
    this.minIntervalMs = minIntervalMs;
  }

  /**
   * A new status for the session.
   *
   * @param status the status
   * @param now    ms, monotonic
   * @return what to do next
   */
  public Offer offer(SessionStatus status, long now) {
    if (pending != null) {
      pending = status;
      return Offer.REPLACED;
    }
    if (!publishedOnce || now - lastPublishAt >= minIntervalMs) {
      markPublished(now);
      return Offer.PUBLISH_NOW;
    }
    pending = status;
    return Offer.SCHEDULE_FLUSH;
  }

  /** @return ms (monotonic) when the held-back status is due, or -1 if none is held back */
  public long flushDueAt() {
    return pending == null ? -1 : lastPublishAt + minIntervalMs;
  }

  /**
   * The held-back status, if it is due: it counts as published now.
   *
   * @param now ms, monotonic
   * @return the status to write and publish now, or empty if none is held back or it is not due yet (then flush
   *     again at {@link #flushDueAt()})
   */
  public Optional<SessionStatus> takeDue(long now) {
    if (pending == null || now < flushDueAt()) {
      return Optional.empty();
    }
    SessionStatus due = pending;
    pending = null;
    markPublished(now);
    return Optional.of(due);
  }

  /**
   * The held-back status whatever the time, for a session whose connection ended but which lives on (held for
   * resume): its last status must not be lost with the connection.
   *
   * @return the status held back, or empty; none is held back afterwards
   */
  public Optional<SessionStatus> takePending() {
    SessionStatus held = pending;
    pending = null;
    return Optional.ofNullable(held);
  }

  private void markPublished(long now) {
    publishedOnce = true;
    lastPublishAt = now;
  }
}
