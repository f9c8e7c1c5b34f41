package dev.presence.presence;

/**
 * What an event loop's late heartbeat tick means for its leases, and whether they must all be re-checked at once.
 * Pure: the caller measures the gap (its {@link PauseDetector}) and how long the whole process stood still meanwhile
 * ({@code health.ProcessPauses}).
 *
 * <p>Why it matters: a re-check is three full renewal batches (at once, 2 s and 6 s later). After a standstill they
 * fence what the cluster handed on; after a loop that was only busy they are load on a node that already has more work
 * than CPU (in the {@code rooms} load runs, loops 3–12 s late took themselves for paused processes several times a
 * run).
 */
public enum LoopStall {

  /** The whole process stood still (SIGSTOP, a frozen VM, a long collection): the other members may have dropped it. */
  PROCESS_PAUSED("process_paused", true),

  /**
   * The process ran but the loop did not, long enough that its entries may have been swept as stale by another node
   * (a deadlocked or starved loop): its renewals stopped as surely as a paused process's.
   */
  LOOP_STALLED("loop_stalled", true),

  /** The loop was late, as a loop with more work than CPU is, but not long enough for anything to go stale. */
  LOOP_BUSY("loop_busy", false);

  private final String metricName;
  private final boolean rechecks;

  LoopStall(String metricName, boolean rechecks) {
    this.metricName = metricName;
    this.rechecks = rechecks;
  }

  /**
   * Judges a late tick.
   *
   * @param gapMs          how long the loop went without a tick (ms), past its pause threshold
   * @param stoodStillMs   the longest standstill of the whole process within that gap (ms)
   * @param pauseGapMs     the loop's pause threshold ({@link PauseDetector#gapMs()}, ms): a standstill of at least
   *                       half of it is what made the tick late
   * @param sweepableGapMs the gap (ms) after which another node may have swept this node's entries as stale: the
   *                       staleness threshold less one renewal period, as the last renewal may have run up to a period
   *                       before the gap began
   * @return what the tick means
   */
  public static LoopStall judge(long gapMs, long stoodStillMs, long pauseGapMs, long sweepableGapMs) {
    if (2 * stoodStillMs >= pauseGapMs) {
      return PROCESS_PAUSED;
    }
    return gapMs >= sweepableGapMs ? LOOP_STALLED : LOOP_BUSY;
  }

  /** @return the value of the {@code cause} tag of {@code presence_event_loop_stalls_total} */
  public String metricName() {
    return metricName;
  }

  /** @return whether every lease must be re-checked at once */
  public boolean rechecks() {
    return rechecks;
  }
}
