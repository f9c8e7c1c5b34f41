package dev.presence.load.generator;

/**
 * Open-loop pacing: how many operations should have been started by now at a given rate. Drivers send
 * {@code due - started} at each tick, so a late tick catches up instead of lowering the offered rate
 * (the usual "coordinated omission" mistake of closed-loop generators).
 */
final class Pacer {

  private Pacer() {
  }

  /**
   * @param ratePerSecond operations per second (≤ 0: none)
   * @param elapsedNanos  time since the start
   * @return operations due since the start
   */
  static long due(double ratePerSecond, long elapsedNanos) {
    if (ratePerSecond <= 0 || elapsedNanos <= 0) {
      return 0;
    }
    return (long) Math.floor(ratePerSecond * elapsedNanos / 1e9);
  }
}
