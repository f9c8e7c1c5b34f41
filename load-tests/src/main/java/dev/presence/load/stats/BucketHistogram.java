package dev.presence.load.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Prometheus histogram (cumulative {@code _bucket{le=...}} counts) and percentiles read from it.
 * A percentile is reported as the upper bound of the bucket it falls in, so it is an upper bound of the
 * true value (Micrometer's buckets are about 10–30 % apart).
 *
 * @param upperBounds bucket upper bounds in the metric's unit, ascending, ending with +Inf
 * @param cumulative  cumulative counts, same length
 */
public record BucketHistogram(double[] upperBounds, double[] cumulative) {

  /**
   * Collects the buckets of one histogram from scraped samples.
   *
   * @param samples the scrape
   * @param name    the histogram name without {@code _bucket}
   * @return the buckets summed over every other label (e.g. several nodes' scrapes merged by the caller);
   *     empty if the metric is absent
   */
  public static BucketHistogram of(List<PrometheusText.Sample> samples, String name) {
    TreeMap<Double, Double> byBound = new TreeMap<>();
    for (PrometheusText.Sample s : samples) {
      if (s.name().equals(name + "_bucket") && s.labels().containsKey("le")) {
        byBound.merge(parseBound(s.labels().get("le")), s.value(), Double::sum);
      }
    }
    double[] bounds = new double[byBound.size()];
    double[] counts = new double[byBound.size()];
    int i = 0;
    for (Map.Entry<Double, Double> e : byBound.entrySet()) {
      bounds[i] = e.getKey();
      counts[i++] = e.getValue();
    }
    return new BucketHistogram(bounds, counts);
  }

  private static double parseBound(String le) {
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  /** @return this minus an earlier scrape of the same histogram (what happened in between) */
  public BucketHistogram minus(BucketHistogram earlier) {
    if (earlier.upperBounds.length != upperBounds.length) {
      return this; // absent earlier (the node had not recorded yet): everything happened in between
    }
    double[] counts = new double[cumulative.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = cumulative[i] - earlier.cumulative[i];
    }
    return new BucketHistogram(upperBounds, counts);
  }

  /** @return the number of observations */
  public double count() {
    return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
  }

  /**
   * @param percentile 0..100
   * @return the upper bound of the bucket holding that percentile, in the metric's unit; NaN if empty;
   *     the largest finite bound if it falls in +Inf
   */
  public double percentile(double percentile) {
    double total = count();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = Math.ceil(total * percentile / 100.0);
    for (int i = 0; i < cumulative.length; i++) {
      if (cumulative[i] >= rank) {
        return Double.isInfinite(upperBounds[i]) && i > 0 ? upperBounds[i - 1] : upperBounds[i];
      }
    }
    return upperBounds[upperBounds.length - 1];
  }

  /** @return p50/p99/p999 in ms of a histogram in seconds (max: the highest non-empty bucket) */
  public Percentiles secondsToPercentiles() {
    if (count() <= 0) {
      return Percentiles.EMPTY;
    }
    return new Percentiles((long) count(), percentile(50) * 1000, percentile(99) * 1000, percentile(99.9) * 1000,
        percentile(100) * 1000);
  }

  /** @return the bounds that hold observations, for tests and debugging */
  List<Double> nonEmptyBounds() {
    List<Double> bounds = new ArrayList<>();
    for (int i = 0; i < cumulative.length; i++) {
      if (cumulative[i] > (i == 0 ? 0 : cumulative[i - 1])) {
        bounds.add(upperBounds[i]);
      }
    }
    return bounds;
  }
}
