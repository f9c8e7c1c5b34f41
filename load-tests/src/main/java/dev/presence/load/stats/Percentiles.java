package dev.presence.load.stats;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * The latency summary every report line uses, in milliseconds.
 *
 * @param count how many values
 * @param p50   median, ms
 * @param p99   99th percentile, ms
 * @param p999  99.9th percentile, ms
 * @param max   largest value, ms
 */
public record Percentiles(long count, double p50, double p99, double p999, double max) {

  /** No values at all; every percentile is NaN so that a report shows "n/a", never a fake 0. */
  public static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** @return the summary of a microsecond histogram ({@link Histograms}) */
  public static Percentiles ofMicros(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return EMPTY;
    }
    return new Percentiles(histogram.getTotalCount(), ms(histogram.getValueAtPercentile(50)),
        ms(histogram.getValueAtPercentile(99)), ms(histogram.getValueAtPercentile(99.9)),
        ms(histogram.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /** @return {@code {"count","p50Ms","p99Ms","p999Ms","maxMs"}}, NaN as null */
  public JsonObject toJson() {
    return new JsonObject().put("count", count).put("p50Ms", finite(p50)).put("p99Ms", finite(p99))
        .put("p999Ms", finite(p999)).put("maxMs", finite(max));
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
