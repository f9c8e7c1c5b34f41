package dev.presence.load.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketHistogramTest {

  private static final String SCRAPE = """
      # HELP presence_heartbeat_rtt_seconds Server ping to client pong
      # TYPE presence_heartbeat_rtt_seconds histogram
      presence_heartbeat_rtt_seconds_bucket{le="0.001"} 10
      presence_heartbeat_rtt_seconds_bucket{le="0.005"} 90
      presence_heartbeat_rtt_seconds_bucket{le="0.05"} 99
      presence_heartbeat_rtt_seconds_bucket{le="1.0"} 100
      presence_heartbeat_rtt_seconds_bucket{le="+Inf"} 100
      presence_heartbeat_rtt_seconds_count 100
      presence_heartbeat_rtt_seconds_sum 0.4
      presence_sessions 17.0
      """;

  @Test
  void percentiles_are_the_upper_bound_of_the_bucket_they_fall_in() {
    BucketHistogram h = BucketHistogram.of(PrometheusText.parse(SCRAPE), "presence_heartbeat_rtt_seconds");
    assertEquals(100, h.count());
    assertEquals(0.005, h.percentile(50));
    assertEquals(0.05, h.percentile(99));
    assertEquals(1.0, h.percentile(99.9));
    Percentiles ms = h.secondsToPercentiles();
    assertEquals(5.0, ms.p50(), 1e-9);
    assertEquals(50.0, ms.p99(), 1e-9);
  }

  @Test
  void the_difference_of_two_scrapes_is_what_happened_in_between() {
    BucketHistogram before = BucketHistogram.of(PrometheusText.parse(SCRAPE), "presence_heartbeat_rtt_seconds");
    BucketHistogram after = BucketHistogram.of(PrometheusText.parse(SCRAPE
        .replace("{le=\"1.0\"} 100", "{le=\"1.0\"} 110").replace("{le=\"+Inf\"} 100", "{le=\"+Inf\"} 110")),
        "presence_heartbeat_rtt_seconds");
    BucketHistogram delta = after.minus(before);
    assertEquals(10, delta.count());
    assertEquals(List.of(1.0), delta.nonEmptyBounds(), "all ten new observations were between 50 ms and 1 s");
    assertEquals(1.0, delta.percentile(50));
  }

  @Test
  void an_empty_histogram_has_no_percentiles_rather_than_zero() {
    BucketHistogram h = BucketHistogram.of(PrometheusText.parse(SCRAPE), "no_such_metric");
    assertTrue(Double.isNaN(h.percentile(99)));
    assertEquals(Percentiles.EMPTY, h.secondsToPercentiles());
  }

  @Test
  void buckets_of_several_nodes_add_up() {
    String twoNodes = SCRAPE + SCRAPE;
    assertEquals(200, BucketHistogram.of(PrometheusText.parse(twoNodes), "presence_heartbeat_rtt_seconds").count());
  }
}
