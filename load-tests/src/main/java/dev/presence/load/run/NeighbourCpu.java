package dev.presence.load.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU processes this run did not start used while a scenario ran (another build, another test
 * suite on a shared machine): the machine's busy time from {@code /proc/stat} minus the CPU of this JVM
 * and its children, sampled every second on a daemon thread. A figure measured while neighbours took a
 * core is not comparable with one measured on an idle machine; the report says which it was. Thread-safe.
 */
public final class NeighbourCpu implements AutoCloseable {

  private final Thread thread;
  private volatile boolean running = true;
  private double neighbourSeconds;
  private double wallSeconds;

  /** Starts sampling. */
  public NeighbourCpu() {
    thread = new Thread(this::loop, "neighbour-cpu");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    double lastBusy = machineBusySeconds();
    double lastOurs = oursSeconds();
    long lastWall = System.nanoTime();
    while (running) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      double busy = machineBusySeconds();
      double ours = oursSeconds();
      long wall = System.nanoTime();
      synchronized (this) {
        // A child that exited within the second takes its last ticks with it: clamp at zero.
        neighbourSeconds += Math.max(0, (busy - lastBusy) - (ours - lastOurs));
        wallSeconds += (wall - lastWall) / 1e9;
      }
      lastBusy = busy;
      lastOurs = ours;
      lastWall = wall;
    }
  }

  /** @return average CPU used by other processes so far, in cores (2.0 = both cores of a 2-core machine) */
  public synchronized double averageCores() {
    return wallSeconds <= 0 ? Double.NaN : neighbourSeconds / wallSeconds;
  }

  private static double oursSeconds() {
    double seconds = ProcStats.cpuSeconds(ProcessHandle.current().pid());
    for (long pid : ProcessRegistry.livePids()) {
      seconds += Math.max(0, ProcStats.cpuSeconds(pid));
    }
    return seconds;
  }

  /** @return user + nice + system + irq + softirq + steal of all CPUs, seconds ({@code /proc/stat} "cpu" line) */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + Long.parseLong(f[8]);
      return busy / ProcStats.TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Stops sampling. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
