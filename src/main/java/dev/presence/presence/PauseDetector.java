package dev.presence.presence;

/**
 * Notices that this process was paused (SIGSTOP, a stop-the-world pause, a frozen VM) from the gaps
 * between ticks of a timer that should fire at least every second. Pure; time is a parameter (epoch ms).
 *
 * <p>Not thread-safe: one instance per event loop, ticked and read on that loop.
 */
public final class PauseDetector {

  /** Ticks are at most 1 s apart; a gap longer than this means the process (or the loop) stood still (ms). */
  public static final long RESUME_GAP_MS = 3_000;

  private final long gapMs;
  private long lastTick = -1;
  private long resumedAt = Long.MIN_VALUE / 2;

  /** A detector with the default threshold, {@link #RESUME_GAP_MS}. */
  public PauseDetector() {
    this(RESUME_GAP_MS);
  }

  /**
   * @param gapMs a gap between ticks longer than this is a pause (ms); several tick periods, so that a busy loop is
   *              not taken for a paused one
   */
  public PauseDetector(long gapMs) {
    this.gapMs = gapMs;
  }

  /** @return a gap between ticks longer than this is a pause (ms) */
  public long gapMs() {
    return gapMs;
  }

  /**
   * Records a tick.
   *
   * @param now epoch ms
   * @return the length of the gap just ended (ms) if it exceeded the threshold, else 0
   */
  public long tick(long now) {
    long gap = lastTick < 0 ? 0 : now - lastTick;
    lastTick = now;
    if (gap > gapMs) {
      resumedAt = now;
      return gap;
    }
    return 0;
  }

  /**
   * @param now epoch ms
   * @return true if the next tick is overdue: the process is standing still or just waking up
   */
  public boolean overdue(long now) {
    return lastTick >= 0 && now - lastTick > gapMs;
  }

  /**
   * @param now      epoch ms
   * @param windowMs how far back to look (ms)
   * @return true if a pause ended within the last {@code windowMs}
   */
  public boolean resumedWithin(long now, long windowMs) {
    return now - resumedAt < windowMs;
  }

  /** @return epoch ms when the last pause ended, or a time long past if none did */
  public long resumedAt() {
    return resumedAt;
  }
}
