package dev.presence.transport;

import io.vertx.core.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One session's cluster requests, run one after another in the order the client sent them, at most {@link
 * #MAX_PENDING} outstanding (running + waiting). A request that has not started when the session closes is
 * dropped; the session's cleanup is chained after whatever runs.
 *
 * <p>Threading: confined to the session's event loop.
 */
final class RequestQueue {

  /** Requests queued behind a slow cluster call before new ones are refused with too_many_requests. */
  static final int MAX_PENDING = 32;

  private final BooleanSupplier closed;
  private final Consumer<Throwable> onFailure;
  private int pending;
  private Future<?> tail = Future.succeededFuture();

  /**
   * @param closed    whether the session has closed (then waiting requests are dropped)
   * @param onFailure told of a request's failure (on the event loop); the queue goes on
   */
  RequestQueue(BooleanSupplier closed, Consumer<Throwable> onFailure) {
    this.closed = closed;
    this.onFailure = onFailure;
  }

  /**
   * @param request started after every request before it has completed
   * @return false (and nothing queued) if {@link #MAX_PENDING} requests are outstanding
   */
  boolean offer(Supplier<Future<?>> request) {
    if (pending >= MAX_PENDING) {
      return false;
    }
    pending++;
    Future<?>[] self = new Future<?>[1];
    self[0] = tail.transform(ignored -> {
      if (closed.getAsBoolean()) {
        pending--;
        return Future.succeededFuture();
      }
      Future<?> running;
      try {
        running = request.get();
      } catch (RuntimeException e) {
        running = Future.failedFuture(e);
      }
      return running.transform(result -> {
        pending--;
        if (result.failed()) {
          onFailure.accept(result.cause());
        }
        if (pending == 0 && tail == self[0]) {
          // Nothing waits, and nothing (no cleanup) was chained after this request: let go of the finished chain.
          // A Vert.x transform keeps its mapping function, and with it the request's captures (a hello and its
          // token, the verified user), for as long as it is the tail: for an idle session, its whole life. That
          // was about 3 KB per session with tokens (load-tests hold, 064635 vs 065004).
          tail = Future.succeededFuture();
        }
        return Future.succeededFuture();
      });
    });
    tail = self[0];
    return true;
  }

  /**
   * Chains the session's cleanup after the request in flight, even once closed.
   *
   * @param cleanup started when the queue's last request completes
   * @return the cleanup's completion
   */
  Future<Void> finallyRun(Supplier<Future<Void>> cleanup) {
    Future<Void> done = tail.transform(ignored -> cleanup.get());
    tail = done;
    return done;
  }

  /** @return completes when every request queued so far (and the cleanup, if chained) has completed */
  Future<?> drained() {
    return tail;
  }
}
