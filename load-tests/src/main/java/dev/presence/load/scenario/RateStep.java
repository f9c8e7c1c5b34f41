package dev.presence.load.scenario;

import dev.presence.load.stats.Percentiles;

/**
 * One offered rate held for a while, and what came of it. A step is sustained when at least 95 % of the
 * offered rate came back within the step and p99 stayed under the bound; the saturation rate is the
 * highest sustained offered rate below the first step that was not. Pure.
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

  /**
   * @param steps      steps in increasing offered order
   * @param p99BoundMs latency bound
   * @return the highest offered rate sustained before the first step that was not (0 if the first failed)
   */
  static double saturation(java.util.List<RateStep> steps, double p99BoundMs) {
    double best = 0;
    for (RateStep step : steps) {
      if (!step.sustained(p99BoundMs)) {
        break;
      }
      best = step.offered;
    }
    return best;
  }
}
