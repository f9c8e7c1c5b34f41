package dev.presence.load.report;

/**
 * A target from the load-test issue that a figure is reported against (pass/miss; a miss is a finding,
 * not a failure of the run).
 *
 * @param text      how the report states it ("≥ 19,000")
 * @param kind      what is compared
 * @param threshold the bound
 */
public record Goal(String text, Kind kind, double threshold) {

  /** What the goal compares. */
  public enum Kind {
    /** ours ≥ threshold. */
    OURS_AT_LEAST,
    /** ours ≤ threshold. */
    OURS_AT_MOST,
    /** ours / bare ≥ threshold. */
    RATIO_AT_LEAST,
    /** ours / bare ≤ threshold. */
    RATIO_AT_MOST
  }

  /** @return ours ≥ threshold */
  public static Goal atLeast(double threshold, String text) {
    return new Goal(text, Kind.OURS_AT_LEAST, threshold);
  }

  /** @return ours ≤ threshold */
  public static Goal atMost(double threshold, String text) {
    return new Goal(text, Kind.OURS_AT_MOST, threshold);
  }

  /** @return ours / bare ≥ threshold */
  public static Goal ratioAtLeast(double threshold, String text) {
    return new Goal(text, Kind.RATIO_AT_LEAST, threshold);
  }

  /** @return ours / bare ≤ threshold */
  public static Goal ratioAtMost(double threshold, String text) {
    return new Goal(text, Kind.RATIO_AT_MOST, threshold);
  }

  /** @return the verdict for a figure */
  public Verdict judge(Figure figure) {
    Double value = switch (kind) {
      case OURS_AT_LEAST, OURS_AT_MOST -> figure.ours();
      case RATIO_AT_LEAST, RATIO_AT_MOST -> figure.ratio();
    };
    if (value == null || !Double.isFinite(value)) {
      return Verdict.NA;
    }
    boolean met = switch (kind) {
      case OURS_AT_LEAST, RATIO_AT_LEAST -> value >= threshold;
      case OURS_AT_MOST, RATIO_AT_MOST -> value <= threshold;
    };
    return met ? Verdict.PASS : Verdict.MISS;
  }
}
