package dev.presence.load.report;

import java.util.Locale;

/** Number formatting for the report: "n/a" for a missing value, digits matched to the magnitude. */
public final class Fmt {

  private Fmt() {
  }

  /** @return the value with sensible precision, thousands separated; "n/a" for null or NaN */
  public static String num(Double value) {
    if (value == null || !Double.isFinite(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** @return {@link #num(Double)} of a primitive */
  public static String num(double value) {
    return num(Double.valueOf(value));
  }

  /** @return a ratio as "0.83×", "n/a" if missing */
  public static String ratio(Double ratio) {
    return ratio == null || !Double.isFinite(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
  }
}
