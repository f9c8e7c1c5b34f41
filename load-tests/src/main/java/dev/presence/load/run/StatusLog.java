package dev.presence.load.run;

import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Every generator's {@code status} lines of a run (one per generator per second), and the views the
 * report needs: per-second latency percentiles merged over the generators, a merged histogram over a
 * window, and the population over time. Thread-safe: the generators' reader threads add, the scenario
 * thread reads.
 */
public final class StatusLog {

  private final List<JsonObject> lines = new ArrayList<>();

  /** Adds one status line (any thread). */
  public synchronized void add(JsonObject status) {
    lines.add(status);
  }

  private synchronized List<JsonObject> between(long fromMs, long toMs) {
    return lines.stream().filter(l -> l.getLong("t") >= fromMs && l.getLong("t") <= toMs).toList();
  }

  /**
   * @param metric connect, ping, request or churn
   * @param fromMs window start, epoch ms
   * @param toMs   window end, epoch ms
   * @return every generator's interval histograms of that metric in the window, merged
   */
  public Histogram merged(String metric, long fromMs, long toMs) {
    Histogram merged = Histograms.newMicros();
    for (JsonObject line : between(fromMs, toMs)) {
      String encoded = line.getJsonObject("h", new JsonObject()).getString(metric);
      if (encoded != null) {
        merged.add(Histograms.decode(encoded));
      }
    }
    return merged;
  }

  /**
   * @return per second since {@code fromMs} (the key), the merged percentiles of {@code metric}; seconds
   *     without values are absent
   */
  public TreeMap<Long, Percentiles> perSecond(String metric, long fromMs, long toMs) {
    TreeMap<Long, Histogram> bySecond = new TreeMap<>();
    for (JsonObject line : between(fromMs, toMs)) {
      String encoded = line.getJsonObject("h", new JsonObject()).getString(metric);
      if (encoded != null) {
        bySecond.computeIfAbsent((line.getLong("t") - fromMs) / 1000, s -> Histograms.newMicros())
            .add(Histograms.decode(encoded));
      }
    }
    TreeMap<Long, Percentiles> result = new TreeMap<>();
    bySecond.forEach((second, histogram) -> result.put(second, Percentiles.ofMicros(histogram)));
    return result;
  }

  /** @return per second since {@code fromMs}, the sum over generators of a counter field ("open") */
  public TreeMap<Long, Long> sumPerSecond(String field, long fromMs, long toMs) {
    // Keep each generator's last value within a second, then sum the generators.
    TreeMap<Long, java.util.Map<String, Long>> bySecond = new TreeMap<>();
    for (JsonObject line : between(fromMs, toMs)) {
      bySecond.computeIfAbsent((line.getLong("t") - fromMs) / 1000, s -> new java.util.HashMap<>())
          .put(line.getString("gen"), line.getLong(field, 0L));
    }
    TreeMap<Long, Long> sums = new TreeMap<>();
    bySecond.forEach((second, perGen) -> sums.put(second, perGen.values().stream().mapToLong(Long::longValue).sum()));
    return sums;
  }
}
