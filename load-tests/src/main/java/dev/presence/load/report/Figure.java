package dev.presence.load.report;

/**
 * One measured figure, ours beside bare.
 *
 * @param label what it is ("heap per session after full GC")
 * @param unit  its unit ("bytes", "ms", "/s")
 * @param ours  our node's value, or null (not measured / not applicable)
 * @param bare  the bare baseline's value, or null
 * @param goal  the goal it is judged against, or null
 * @param note  how it was measured, or null
 */
public record Figure(String label, String unit, Double ours, Double bare, Goal goal, String note) {

  /** @return a figure with values that may be NaN (stored as null) */
  public static Figure of(String label, String unit, double ours, double bare, Goal goal, String note) {
    return new Figure(label, unit, finite(ours), finite(bare), goal, note);
  }

  /** @return a figure of ours only (no bare counterpart) */
  public static Figure oursOnly(String label, String unit, double ours, Goal goal, String note) {
    return new Figure(label, unit, finite(ours), null, goal, note);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** @return ours / bare, or null if either is missing or bare is 0 */
  public Double ratio() {
    if (ours == null || bare == null || bare == 0) {
      return null;
    }
    return ours / bare;
  }

  /** @return the goal's verdict, {@link Verdict#NONE} without a goal */
  public Verdict verdict() {
    return goal == null ? Verdict.NONE : goal.judge(this);
  }
}
