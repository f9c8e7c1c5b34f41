package dev.presence.cluster;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.presence.store.ClusterStoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Bridges Hazelcast {@link CompletionStage}s to Vert.x futures completed on the caller's context.
 *
 * <p>Why not {@code Future.fromCompletionStage(stage, context)}: it registers a non-async
 * {@code whenComplete}, which Hazelcast 5.3's {@code AbstractInvocationFuture} runs on its default async
 * executor: {@code ForkJoinPool.commonPool()}, or, where the common pool has parallelism 1 (any 2-core
 * machine), a new thread per callback. Handing the callback straight to the context's executor from the
 * Hazelcast response thread avoids both.
 */
final class ContextCompletion {

  private ContextCompletion() {
  }

  /**
   * @param vertx     the Vert.x instance
   * @param operation what the stage does, for the error message
   * @param stage     the Hazelcast stage
   * @return a future that completes on the current context (or a new one off-context), failed with
   *     {@link ClusterStoreException} if the stage failed
   */
  static <T> Future<T> onCallerContext(Vertx vertx, String operation, CompletionStage<T> stage) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    Executor toContext = task -> context.runOnContext(v -> task.run());
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        promise.fail(wrap(operation, cause));
      } else {
        promise.complete(value);
      }
    }, toContext);
    return promise.future();
  }

  /**
   * Runs a Hazelcast call that has no async form (queries) on the worker pool.
   *
   * @return a future completed on the caller's context
   */
  static <T> Future<T> blocking(Vertx vertx, String operation, java.util.concurrent.Callable<T> call) {
    return vertx.getOrCreateContext().<T>executeBlocking(call, false)
        .recover(failure -> Future.failedFuture(wrap(operation, failure)));
  }

  /**
   * The one place a Hazelcast failure becomes the ports' failure type: split-brain protection's refusal is the
   * "no quorum" case (the node must self-fence), anything else is a store that did not answer.
   *
   * @param operation what was attempted
   * @param cause     Hazelcast's failure
   * @return the wrapped failure
   */
  static ClusterStoreException wrap(String operation, Throwable cause) {
    return new ClusterStoreException(operation, cause, cause instanceof SplitBrainProtectionException);
  }
}
