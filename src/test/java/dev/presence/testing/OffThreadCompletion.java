package dev.presence.testing;

import dev.presence.store.ClusterStoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * How the in-memory stores reproduce the threading of the Hazelcast adapters: the operation runs on the
 * store's own thread (standing in for a partition thread), then the result hops back to the caller's Vert.x
 * context. The caller's callbacks therefore never run synchronously inside the call, nor on the caller's
 * thread before the call returned, which catches code that only works when a store completes on the spot.
 * Thread-safe.
 */
final class OffThreadCompletion implements AutoCloseable {

  private final Vertx vertx;
  private final ExecutorService storeThread;

  OffThreadCompletion(Vertx vertx, String threadName) {
    this.vertx = vertx;
    this.storeThread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * @param operation what the work does, for the failure message
   * @param work      the store operation; runs on the store thread
   * @return its result, completed on the calling context (or a new one when called off-context), failed with
   *     {@link ClusterStoreException} if the work threw
   */
  <T> Future<T> run(String operation, Supplier<T> work) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    storeThread.execute(() -> {
      T result;
      try {
        result = work.get();
      } catch (Throwable e) {
        caller.runOnContext(v -> promise.fail(new ClusterStoreException(operation, e, false)));
        return;
      }
      caller.runOnContext(v -> promise.complete(result));
    });
    return promise.future();
  }

  @Override
  public void close() {
    storeThread.shutdownNow();
  }
}
