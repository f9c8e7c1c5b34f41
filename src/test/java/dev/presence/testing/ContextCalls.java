package dev.presence.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Lets a test thread drive a port the way a verticle does: the call is made on a Vert.x context, and its
 * future must complete on that same context; a completion anywhere else fails the test with an
 * {@link AssertionError} naming the thread. The test thread then blocks (up to {@link #TIMEOUT_SECONDS})
 * for the value, so contract tests read as plain sequential stories. Call from a test thread, never from an
 * event loop. Stateless, thread-safe.
 */
public final class ContextCalls {

  /** How long one call may take before the test fails. */
  public static final long TIMEOUT_SECONDS = 10;

  private ContextCalls() {
  }

  /**
   * Makes the call on a new context of {@code vertx} and waits for it.
   *
   * @return the future's value
   * @throws AssertionError if the future completed on another context, failed, or timed out
   */
  public static <T> T call(Vertx vertx, Supplier<Future<T>> call) {
    return join(start(vertx.getOrCreateContext(), call));
  }

  /**
   * Makes the call on {@code context} without waiting.
   *
   * @return the future's value, or the failure, or an {@link AssertionError} if it completed elsewhere
   */
  public static <T> CompletableFuture<T> start(Context context, Supplier<Future<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        call.get().onComplete(ar -> {
          if (Vertx.currentContext() != context) {
            result.completeExceptionally(new AssertionError("future completed on " + Vertx.currentContext()
                + " (thread " + Thread.currentThread().getName() + "), not on the caller's context " + context));
          } else if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            result.completeExceptionally(ar.cause());
          }
        });
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result;
  }

  /**
   * Waits for a started call.
   *
   * @return its value
   * @throws AssertionError if it failed or timed out
   */
  public static <T> T join(CompletableFuture<T> started) {
    try {
      return started.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AssertionError assertion) {
        throw assertion;
      }
      throw new AssertionError("call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("call did not complete within " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
