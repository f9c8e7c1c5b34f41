package dev.presence.transport;

import dev.presence.presence.SessionStatus;
import dev.presence.presence.StatusCoalescer;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Writes and publishes one session's status changes, a client's {@code status} and the node's own idle flips
 * alike, at most one per {@code PRESENCE_STATUS_MIN_INTERVAL_MS} ({@link StatusCoalescer} decides; this class runs
 * its decisions: the write, the flush timer). A status held back is written when the interval ends, through the
 * session's {@link RequestQueue}, so it stays in order with the session's other cluster requests.
 *
 * <p>Threading: confined to the connection's event loop; {@link #set} runs inside the request queue.
 */
final class StatusPublisher {

  private final SessionEnvironment env;
  private final SessionFacts facts;
  private final RequestQueue requests;
  private final long minIntervalMs;

  // Event-loop confined.
  private final StatusCoalescer coalescer;
  private long timer = -1;

  /**
   * @param env      the verticle's shared services (the presence service, timers, the interval setting)
   * @param facts    the session's facts (its id)
   * @param requests the session's request queue (a held-back status is written through it)
   */
  StatusPublisher(SessionEnvironment env, SessionFacts facts, RequestQueue requests) {
    this.env = env;
    this.facts = facts;
    this.requests = requests;
    this.minIntervalMs = env.config().limits().statusMinIntervalMs();
    this.coalescer = new StatusCoalescer(minIntervalMs);
  }

  /**
   * Sets the session's status cluster-wide: now if the interval since the last publish is over, else when it ends
   * (a later status replaces this one meanwhile). Call from the request queue, in the order of the session's
   * requests.
   *
   * @param status the new status
   * @return completes when written if written now (true if the session's entry exists); at once, with false, if
   *     held back
   */
  Future<Boolean> set(SessionStatus status) {
    return switch (coalescer.offer(status, nowMs())) {
      case PUBLISH_NOW -> write(status);
      case SCHEDULE_FLUSH -> {
        scheduleFlush(coalescer.flushDueAt() - nowMs());
        yield Future.succeededFuture(false);
      }
      case REPLACED -> Future.succeededFuture(false);
    };
  }

  /**
   * The connection ended: no flush will run. Idempotent.
   *
   * @return the status still held back, which a session that lives on (held for resume) must write itself; empty
   *     if none
   */
  Optional<SessionStatus> close() {
    if (timer >= 0) {
      env.vertx().cancelTimer(timer);
      timer = -1;
    }
    return coalescer.takePending();
  }

  private void scheduleFlush(long delayMs) {
    timer = env.vertx().setTimer(Math.max(1, delayMs), id -> {
      timer = -1;
      // Through the queue: the write must not overtake a status request received before the timer fired. A full
      // queue (32 requests of the client's own waiting) tries again an interval later; nothing is lost.
      if (!requests.offer(this::flush)) {
        scheduleFlush(minIntervalMs);
      }
    });
  }

  private Future<?> flush() {
    Optional<SessionStatus> due = coalescer.takeDue(nowMs());
    if (due.isPresent()) {
      return write(due.get());
    }
    if (coalescer.flushDueAt() >= 0 && timer < 0) {
      scheduleFlush(coalescer.flushDueAt() - nowMs()); // not due yet (cannot happen with a monotonic clock)
    }
    return Future.succeededFuture();
  }

  private Future<Boolean> write(SessionStatus status) {
    return env.service().setStatus(facts.session, status);
  }

  /** Monotonic ms: a wall clock stepped back must not hold a status back for the length of the step. */
  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }
}
