package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SingleFlightBatchTest {

  private final List<Promise<Void>> runs = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();
  private final SingleFlightBatch batch = new SingleFlightBatch("test", this::start, 30_000, nanos::get);

  private Future<?> start() {
    Promise<Void> run = Promise.promise();
    runs.add(run);
    return run.future();
  }

  @Test
  void requests_while_a_run_is_in_flight_become_one_more_run_after_it() {
    batch.request();
    for (int i = 0; i < 279; i++) {
      batch.request(); // periodic ticks, pauses, re-check requests while the cluster is slow
    }
    assertThat(runs).as("one run in flight, not 280").hasSize(1);

    runs.get(0).complete();
    assertThat(runs).as("one more run, started after the first completed").hasSize(2);

    runs.get(1).complete();
    assertThat(runs).as("nothing was asked meanwhile").hasSize(2);
  }

  @Test
  void a_failed_run_ends_the_flight_as_a_completed_one_does() {
    batch.request();
    batch.request();
    runs.get(0).fail("cluster unavailable");

    assertThat(runs).hasSize(2);
    runs.get(1).complete();
    batch.request();
    assertThat(runs).hasSize(3);
  }

  @Test
  void a_run_that_throws_does_not_stop_later_runs() {
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    SingleFlightBatch throwing = new SingleFlightBatch("test", () -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("boom");
    }, 30_000, nanos::get);

    throwing.request();
    throwing.request(); // would be coalesced forever if the first counted as still in flight

    assertThat(attempts).hasValue(2);
  }

  @Test
  void a_run_in_flight_longer_than_the_limit_is_given_up_on_and_its_late_completion_ignored() {
    batch.request();
    nanos.addAndGet(30_001_000_000L);
    batch.request();
    assertThat(runs).as("the stuck run no longer holds the next back").hasSize(2);

    batch.request(); // coalesced behind the second run
    runs.get(0).complete(); // the stuck one comes back late: it neither ends the flight nor starts the next
    assertThat(runs).hasSize(2);

    runs.get(1).complete();
    assertThat(runs).as("the coalesced request runs after the current run").hasSize(3);
  }

  @Test
  void an_urgent_request_starts_at_once_and_the_run_it_overtook_no_longer_counts() {
    batch.request();
    batch.request(); // coalesced

    batch.requestNow();
    assertThat(runs).as("started beside the one in flight").hasSize(2);

    runs.get(0).complete();
    assertThat(runs).as("the overtaken run's completion starts nothing").hasSize(2);
    runs.get(1).complete();
    assertThat(runs).as("the coalesced request was answered by the urgent run").hasSize(2);
    batch.request();
    assertThat(runs).hasSize(3);
  }
}
