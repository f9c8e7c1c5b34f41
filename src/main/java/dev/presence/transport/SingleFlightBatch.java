package dev.presence.transport;

import io.vertx.core.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an asynchronous batch one at a time: asked while a run is in flight, it runs once more after that run
 * completes, however often it was asked meanwhile, so what a run finds is never older than the request. A slow
 * cluster then gets one batch after another, not a growing queue of them.
 *
 * <p>A run still in flight after {@code giveUpAfterMs} is given up on and another starts (its late completion is
 * ignored): a safety net only, as Hazelcast completes every call (an answer, its call timeout, or the member left).
 *
 * <p>Threading: confined to one Vert.x context; call {@link #request} there, and give it a batch whose future
 * completes there.
 */
final class SingleFlightBatch {

  private static final Logger LOG = LoggerFactory.getLogger(SingleFlightBatch.class);

  private final String name;
  private final Supplier<Future<?>> batch;
  private final long giveUpAfterMs;
  private final LongSupplier nanoTime;
  private boolean running;
  private boolean again;
  /** The number of the latest run, and when it started (nanoTime). */
  private long run;
  private long startedAt;

  /**
   * @param name          what runs, for the log
   * @param batch         starts one run; its future completes (either way) when the run is over
   * @param giveUpAfterMs how long a run may stay in flight before another may start (ms)
   * @param nanoTime      monotonic clock (ns), {@code System::nanoTime} outside tests
   */
  SingleFlightBatch(String name, Supplier<Future<?>> batch, long giveUpAfterMs, LongSupplier nanoTime) {
    this.name = name;
    this.batch = batch;
    this.giveUpAfterMs = giveUpAfterMs;
    this.nanoTime = nanoTime;
  }

  /** Starts a run now if none is in flight, else one more after it. */
  void request() {
    long now = nanoTime.getAsLong();
    long inFlightMs = (now - startedAt) / 1_000_000;
    if (running && inFlightMs < giveUpAfterMs) {
      again = true;
      return;
    }
    if (running) {
      LOG.warn("{}: a run has been in flight for {} ms (limit {} ms): starting another", name, inFlightMs,
          giveUpAfterMs);
    }
    start(now);
  }

  /**
   * Starts a run now, even if one is in flight (whose completion is then ignored): for the rare request that must not
   * wait behind a run a cut-off member may hold up for seconds, such as a lease re-check on losing the quorum. Never
   * for requests that can come in floods.
   */
  void requestNow() {
    start(nanoTime.getAsLong());
  }

  private void start(long now) {
    running = true;
    again = false;
    long mine = ++run;
    startedAt = now;
    Future<?> started;
    try {
      started = batch.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(done -> {
      if (run != mine) {
        return; // given up on: a later run owns the flags
      }
      running = false;
      if (again) {
        again = false;
        request();
      }
    });
  }
}
