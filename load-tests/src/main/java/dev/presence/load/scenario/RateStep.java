package dev.presence.load.scenario;

import dev.presence.load.stats.Percentiles;

/**
 * One offered rate held for a while, and what came of it. A step is sustained when at least 95 % of the
 * offered rate came back within the step and p99 stayed under the bound; the saturation rate is the
 * highest sustained offered rate. Stepping stops after two unsustained steps in a row: on a shared machine
 * one step can miss by a neighbour's burst (the first full claims runs lost a whole curve to one noisy
 * step when stepping stopped at the first miss). Pure.
 *
 * @param offered            offered operations per second
 * @param sentPerSecond      what the generators actually sent per second
 * @param achievedPerSecond  answers received within the step per second
 * @param latency            answer latency of the step (late answers included)
 * @param serverCpuPercent   server CPU during the step, % of one core
 * @param generatorCpuPercent generators' CPU during the step, % of one core (a saturated generator makes
 *                           the step say nothing about the server)
 */
record RateStep(double offered, double sentPerSecond, double achievedPerSecond, Percentiles latency,
    double serverCpuPercent, double generatorCpuPercent) {

  /** Fraction of the offered rate that must come back. */
  static final double ACHIEVED_FRACTION = 0.95;

  /** @return whether the step kept up with its offer within {@code p99BoundMs} */
  boolean sustained(double p99BoundMs) {
    return achievedPerSecond >= ACHIEVED_FRACTION * offered && latency.count() > 0 && latency.p99() <= p99BoundMs;
  }

  /** Unsustained steps in a row after which stepping stops. */
  static final int MISSES_TO_STOP = 2;

  /**
   * @param steps      steps in increasing offered order
   * @param p99BoundMs latency bound
   * @return the highest sustained offered rate (0 if none was)
   */
  static double saturation(java.util.List<RateStep> steps, double p99BoundMs) {
    return best(steps, p99BoundMs) == null ? 0 : best(steps, p99BoundMs).offered;
  }

  /** @return the sustained step with the highest offered rate, or null */
  static RateStep best(java.util.List<RateStep> steps, double p99BoundMs) {
    RateStep best = null;
    for (RateStep step : steps) {
      if (step.sustained(p99BoundMs) && (best == null || step.offered > best.offered)) {
        best = step;
      }
    }
    return best;
  }

  /** @return true when the last {@link #MISSES_TO_STOP} steps were all unsustained */
  static boolean shouldStop(java.util.List<RateStep> steps, double p99BoundMs) {
    if (steps.size() < MISSES_TO_STOP) {
      return false;
    }
    return steps.subList(steps.size() - MISSES_TO_STOP, steps.size()).stream().noneMatch(s -> s.sustained(p99BoundMs));
  }
}
