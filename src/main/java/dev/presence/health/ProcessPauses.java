package dev.presence.health;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.LatencyUtils.SimplePauseDetector;

/**
 * Whether this process stood still: SIGSTOP, a frozen VM, a stop-the-world collection. An event loop whose timer ticks
 * late cannot tell that from a loop that was only busy (a CPU-bound node); threads that do nothing but sleep can, for
 * they are held only when the whole process is. After a standstill the rest of the cluster may have given up on this
 * member and handed its leases on; after a busy spell of a few seconds it has not (Hazelcast's own threads kept its
 * membership). {@code presence.LoopStall} judges which a late tick was.
 *
 * <p>Built on LatencyUtils' {@link SimplePauseDetector} (the detector Micrometer's timers use): three daemon threads
 * that wake every {@value #SLEEP_MS} ms and report a pause only when all of them were held past the threshold (their
 * consensus: one thread the scheduler left waiting is not a pause). Its cost is those wake-ups, sixty a second.
 *
 * <p>One per process, {@link #shared()}: a standstill stops every node a JVM runs, and the threads live as long as the
 * JVM. Thread-safe: pauses are recorded on the detector's notifier thread and read from any thread.
 */
public final class ProcessPauses {

  /** How long after a standstill ends it has been recorded (ms): the detector's threads wake within {@value #SLEEP_MS} ms
   * of the process resuming and hand the report to its notifier thread at once; the rest is margin for a busy CPU. */
  public static final long REPORT_DELAY_MS = 250;

  /** The shortest standstill recorded (ms): longer than the young collections of a healthy node. */
  static final long THRESHOLD_MS = 100;

  /** How often each detector thread wakes (ms). */
  static final long SLEEP_MS = 50;

  /** Standstills kept: the callers ask about the last few seconds only. */
  private static final int KEPT = 16;

  private final ArrayDeque<Standstill> recent = new ArrayDeque<>(); // guarded by this

  private record Standstill(long endNanos, long lengthNanos) {
  }

  private static final class Holder {
    static final ProcessPauses SHARED = new ProcessPauses(new SimplePauseDetector(
        TimeUnit.MILLISECONDS.toNanos(SLEEP_MS), TimeUnit.MILLISECONDS.toNanos(THRESHOLD_MS), 3));
  }

  /**
   * Listens to a detector (tests hand it one that reports the pauses it is told).
   *
   * @param detector a started detector; its pauses are recorded from now on
   */
  ProcessPauses(SimplePauseDetector detector) {
    detector.addListener(this::record);
  }

  /**
   * The process's detector, started on first use and never stopped (daemon threads).
   *
   * @return the one instance of this JVM
   */
  public static ProcessPauses shared() {
    return Holder.SHARED;
  }

  /**
   * The longest standstill of this process that ended after {@code sinceNanos}. A standstill still going on, or one
   * that ended less than {@link #REPORT_DELAY_MS} ago, may not be recorded yet.
   *
   * @param sinceNanos a {@link System#nanoTime()} reading
   * @return its length (ms), 0 when none of at least {@value #THRESHOLD_MS} ms was recorded
   */
  public synchronized long longestSince(long sinceNanos) {
    long longest = 0;
    for (Standstill standstill : recent) {
      if (standstill.endNanos - sinceNanos > 0) {
        longest = Math.max(longest, standstill.lengthNanos);
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(longest);
  }

  /** The detector's listener (its notifier thread): pause length and end, in ns on the {@code nanoTime} scale. */
  private synchronized void record(long lengthNanos, long endNanos) {
    if (recent.size() == KEPT) {
      recent.removeFirst();
    }
    recent.addLast(new Standstill(endNanos, lengthNanos));
  }
}
