package dev.presence.testing;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stalls a node without removing it from the cluster: every event loop of its Vert.x runs a task that waits on
 * a latch, so no verticle, timer, socket or event-bus handler of that node runs (no heartbeats, no lease
 * renewal, no sweep), while its Hazelcast member, on its own threads, keeps answering the cluster and stays a
 * member. What a node looks like to the others when its application is stuck but its member is not (a
 * deadlocked or starved event loop). Vert.x's blocked-thread checker logs warnings meanwhile; that is expected.
 * Call from the test thread.
 */
public final class EventLoopStall implements AutoCloseable {

  private final CountDownLatch release = new CountDownLatch(1);
  private final int loops;

  private EventLoopStall(int loops) {
    this.loops = loops;
  }

  /**
   * Stalls every event loop of {@code vertx} and returns once all of them are stalled.
   *
   * @param atMost the longest the stall may last if the test never releases it (a failed test must not
   *               leave a node stuck for the next one)
   * @return the stall; {@link #release()} or close it to let the loops run again
   */
  public static EventLoopStall of(Vertx vertx, Duration atMost) {
    List<EventExecutor> executors = new ArrayList<>();
    ((VertxInternal) vertx).eventLoopGroup().forEach(executors::add);
    EventLoopStall stall = new EventLoopStall(executors.size());
    CountDownLatch stalled = new CountDownLatch(executors.size());
    for (EventExecutor loop : executors) {
      loop.execute(() -> {
        stalled.countDown();
        try {
          stall.release.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    try {
      if (!stalled.await(10, TimeUnit.SECONDS)) {
        stall.release();
        throw new IllegalStateException("not every event loop stalled within 10 s");
      }
    } catch (InterruptedException e) {
      stall.release();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return stall;
  }

  /** @return how many event loops are stalled */
  public int loops() {
    return loops;
  }

  /** Lets every stalled loop run again (idempotent). */
  public void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release();
  }
}
