package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One session's request queue: order, the bound, and a cleanup that waits for the request in flight. */
class RequestQueueTest {

  private final List<Throwable> failures = new ArrayList<>();
  private boolean closed;
  private final RequestQueue queue = new RequestQueue(() -> closed, failures::add);

  @Test
  void requests_run_one_after_another_in_the_order_offered() {
    List<String> started = new ArrayList<>();
    Promise<Void> first = Promise.promise();
    queue.offer(() -> {
      started.add("first");
      return first.future();
    });
    queue.offer(() -> {
      started.add("second");
      return Future.succeededFuture();
    });
    assertThat(started).containsExactly("first");
    first.complete();
    assertThat(started).containsExactly("first", "second");
  }

  @Test
  void a_cleanup_chained_during_a_request_is_what_drained_waits_for() {
    Promise<Void> request = Promise.promise();
    Promise<Void> cleanup = Promise.promise();
    queue.offer(request::future);
    closed = true;
    queue.finallyRun(cleanup::future);

    request.complete(); // the queue is empty now, but the cleanup runs: drained must still wait for it
    assertThat(queue.drained().isComplete()).isFalse();
    cleanup.complete();
    assertThat(queue.drained().isComplete()).isTrue();
  }

  @Test
  void a_request_over_the_bound_is_refused_and_a_failure_is_reported_not_thrown() {
    List<Promise<Void>> waiting = new ArrayList<>();
    for (int i = 0; i < RequestQueue.MAX_PENDING; i++) {
      assertThat(queue.offer(() -> {
        Promise<Void> p = Promise.promise();
        waiting.add(p);
        return p.future();
      })).isTrue();
    }
    assertThat(queue.offer(Future::succeededFuture)).isFalse();

    waiting.get(0).fail(new IllegalStateException("store down"));
    assertThat(failures).hasSize(1);
    assertThat(queue.offer(Future::succeededFuture)).as("one place free again").isTrue();
  }
}
