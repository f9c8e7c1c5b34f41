package dev.presence.load.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples a fleet once per period on a daemon thread: sessions (its HTTP view), heap used, RSS and CPU of
 * its processes (from /proc), summed over the fleet, as time series (x: seconds since the sampler
 * started). Thread-safe.
 */
public final class Sampler implements AutoCloseable {

  /** Series names. */
  public static final String SESSIONS = "sessions";
  /** Heap used, MiB. */
  public static final String HEAP_MB = "heapMb";
  /** Resident set, MiB. */
  public static final String RSS_MB = "rssMb";
  /** CPU, percent of one core. */
  public static final String CPU_PERCENT = "cpuPercent";

  private final ServerFleet fleet;
  private final long periodMs;
  private final long startMs = System.currentTimeMillis();
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts sampling.
   *
   * @param fleet    the servers
   * @param periodMs sampling period, ms
   */
  public Sampler(ServerFleet fleet, long periodMs) {
    this.fleet = fleet;
    this.periodMs = periodMs;
    for (String name : List.of(SESSIONS, HEAP_MB, RSS_MB, CPU_PERCENT)) {
      series.put(name, new ArrayList<>());
    }
    thread = new Thread(this::loop, "sampler-" + fleet.kind().label());
    thread.setDaemon(true);
    thread.start();
  }

  /** @return epoch ms of x = 0 */
  public long startMs() {
    return startMs;
  }

  private void loop() {
    double lastCpu = cpuSeconds();
    long lastWall = System.nanoTime();
    while (running) {
      try {
        Thread.sleep(periodMs);
      } catch (InterruptedException e) {
        return;
      }
      double x = (System.currentTimeMillis() - startMs) / 1000.0;
      double cpu = cpuSeconds();
      long wall = System.nanoTime();
      double cpuPercent = 100.0 * (cpu - lastCpu) / ((wall - lastWall) / 1e9);
      lastCpu = cpu;
      lastWall = wall;
      double heap = 0;
      double rss = 0;
      for (ServerProcess server : fleet.servers()) {
        heap += Math.max(0, server.heapUsed());
        rss += Math.max(0, ProcStats.rssBytes(server.pid()));
      }
      synchronized (this) {
        series.get(SESSIONS).add(new double[] {x, fleet.sessions()});
        series.get(HEAP_MB).add(new double[] {x, heap / (1 << 20)});
        series.get(RSS_MB).add(new double[] {x, rss / (1 << 20)});
        series.get(CPU_PERCENT).add(new double[] {x, cpuPercent});
      }
    }
  }

  private double cpuSeconds() {
    return fleet.servers().stream().mapToDouble(s -> Math.max(0, ProcStats.cpuSeconds(s.pid()))).sum();
  }

  /** @return a copy of one series, points {x seconds, y} */
  public synchronized List<double[]> series(String name) {
    return new ArrayList<>(series.get(name));
  }

  /** Stops sampling and waits for the thread. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
