package dev.presence.load.scenario;

import dev.presence.load.report.Chart;
import dev.presence.load.report.Series;
import dev.presence.load.run.Sampler;
import dev.presence.load.run.StatusLog;
import dev.presence.load.stats.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Charts over time for a scenario that measured ours and bare one after the other: both on the same
 * axes, x in seconds since each fleet's sampler started. Pure apart from reading the samples.
 */
final class Timelines {

  private static final String X = "s since the servers were ready";

  /**
   * What one fleet's measurement left for the charts.
   *
   * @param label   "ours" or "bare"
   * @param sampler its sampler (closed)
   * @param toMs    end of its measurement, epoch ms
   */
  record Run(String label, Sampler sampler, long toMs) {
  }

  private Timelines() {
  }

  /** @return sessions, heap, RSS and CPU over time, one line per run */
  static List<Chart> serverCharts(List<Run> runs) {
    return List.of(
        chart("Sessions over time", "sessions", runs, Sampler.SESSIONS),
        chart("Heap used over time (sampled, not after GC)", "MiB", runs, Sampler.HEAP_MB),
        chart("Resident set over time", "MiB", runs, Sampler.RSS_MB),
        chart("Server CPU over time", "% of one core", runs, Sampler.CPU_PERCENT));
  }

  private static Chart chart(String title, String unit, List<Run> runs, String name) {
    List<Series> series = new ArrayList<>();
    runs.forEach(r -> series.add(new Series(r.label(), r.sampler().series(name))));
    return new Chart(title, X, unit, series);
  }

  /**
   * @param title  heading
   * @param metric generator metric (connect, ping, request, churn)
   * @param log    the status lines
   * @param runs   the runs
   * @return p50 and p99 per second of that latency, two lines per run
   */
  static Chart latencyChart(String title, String metric, StatusLog log, List<Run> runs) {
    List<Series> series = new ArrayList<>();
    for (Run run : runs) {
      TreeMap<Long, Percentiles> perSecond = log.perSecond(metric, run.sampler().startMs(), run.toMs());
      series.add(new Series(run.label() + " p50", points(perSecond, Percentiles::p50)));
      series.add(new Series(run.label() + " p99", points(perSecond, Percentiles::p99)));
    }
    return new Chart(title, X, "ms", series);
  }

  private static List<double[]> points(TreeMap<Long, Percentiles> perSecond, ToDoubleFunction<Percentiles> f) {
    List<double[]> points = new ArrayList<>();
    for (Map.Entry<Long, Percentiles> e : perSecond.entrySet()) {
      points.add(new double[] {e.getKey(), f.applyAsDouble(e.getValue())});
    }
    return points;
  }
}
