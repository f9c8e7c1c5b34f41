package dev.presence.load.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Chart} as an inline SVG line chart: frame, "nice" y ticks (1, 2, 5 × 10ⁿ) from zero,
 * x ticks, axis labels, one coloured polyline per series and a legend. Pure.
 */
public final class SvgChart {

  static final int WIDTH = 760;
  static final int HEIGHT = 300;
  private static final int LEFT = 72;
  private static final int RIGHT = 16;
  private static final int TOP = 44;
  private static final int BOTTOM = 44;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f"};

  private SvgChart() {
  }

  /** @return the chart as an {@code <svg>} element */
  public static String render(Chart chart) {
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
    svg.append("<title>").append(Html.escape(chart.title())).append("</title>");
    svg.append(text(LEFT, 18, "start", "13", "bold", chart.title()));
    double[] range = range(chart.series());
    if (range == null) {
      svg.append(text(WIDTH / 2, HEIGHT / 2, "middle", "12", "normal", "no data"));
      return svg.append("</svg>").toString();
    }
    double xMin = range[0];
    double xMax = range[1] > range[0] ? range[1] : range[0] + 1;
    double[] yTicks = ticks(Math.min(0, range[2]), range[3], 5);
    double yMin = yTicks[0];
    double yMax = yTicks[yTicks.length - 1];
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    for (double tick : yTicks) {
      double y = TOP + plotH - (tick - yMin) / (yMax - yMin) * plotH;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
          LEFT, y, LEFT + plotW, y));
      svg.append(text(LEFT - 6, y + 4, "end", "11", "normal", tickLabel(tick, yTicks)));
    }
    double[] xTicks = ticks(xMin, xMax, 8);
    for (double tick : xTicks) {
      if (tick < xMin || tick > xMax) {
        continue;
      }
      double x = LEFT + (tick - xMin) / (xMax - xMin) * plotW;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>",
          x, TOP + plotH, x, TOP + plotH + 4));
      svg.append(text(x, TOP + plotH + 16, "middle", "11", "normal", tickLabel(tick, xTicks)));
    }
    svg.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#666\"/>", LEFT, TOP, plotW, plotH));
    svg.append(text(LEFT + plotW / 2.0, HEIGHT - 8, "middle", "11", "normal", chart.xLabel()));
    svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" "
        + "transform=\"rotate(-90 14 %d)\">%s</text>", TOP + plotH / 2, TOP + plotH / 2, Html.escape(chart.yLabel())));
    int legendX = LEFT;
    for (int i = 0; i < chart.series().size(); i++) {
      Series series = chart.series().get(i);
      String color = COLORS[i % COLORS.length];
      List<String> coordinates = new ArrayList<>();
      for (double[] p : series.points()) {
        if (Double.isFinite(p[1])) {
          double x = LEFT + (p[0] - xMin) / (xMax - xMin) * plotW;
          double y = TOP + plotH - (p[1] - yMin) / (yMax - yMin) * plotH;
          coordinates.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
      }
      if (coordinates.size() == 1) {
        String[] xy = coordinates.get(0).split(",");
        svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"3\" fill=\"")
            .append(color).append("\"/>");
      } else if (!coordinates.isEmpty()) {
        svg.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(color).append("\" points=\"")
            .append(String.join(" ", coordinates)).append("\"/>");
      }
      // The legend sits between the title and the plot, where it can never hide a line.
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
          legendX, TOP - 16, color));
      svg.append(text(legendX + 14, TOP - 7, "start", "11", "normal", series.name()));
      legendX += 24 + 7 * series.name().length();
    }
    return svg.append("</svg>").toString();
  }

  /** @return {xMin, xMax, yMin, yMax} over every finite point, or null if there is none */
  static double[] range(List<Series> series) {
    double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    boolean any = false;
    for (Series s : series) {
      for (double[] p : s.points()) {
        if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
          any = true;
          r[0] = Math.min(r[0], p[0]);
          r[1] = Math.max(r[1], p[0]);
          r[2] = Math.min(r[2], p[1]);
          r[3] = Math.max(r[3], p[1]);
        }
      }
    }
    return any ? r : null;
  }

  /**
   * Ticks at a "nice" step (1, 2 or 5 × 10ⁿ) covering {@code [min, max]}: the first tick is at or below
   * {@code min}, the last at or above {@code max}.
   *
   * @param min      lowest value
   * @param max      highest value
   * @param maxTicks about how many intervals
   * @return the tick values, ascending, at least two
   */
  static double[] ticks(double min, double max, int maxTicks) {
    if (!(max > min)) {
      max = min + (min == 0 ? 1 : Math.abs(min));
    }
    double raw = (max - min) / maxTicks;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double factor : new double[] {1, 2, 5, 10}) {
      step = factor * magnitude;
      if (step >= raw) {
        break;
      }
    }
    double first = Math.floor(min / step) * step;
    double last = Math.ceil(max / step) * step;
    int count = (int) Math.round((last - first) / step) + 1;
    double[] ticks = new double[Math.max(2, count)];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = first + i * step;
    }
    return ticks;
  }

  /** @return a tick value with as many decimals as the step needs ("2", "0.5", "12,000"), no more */
  static String tickLabel(double tick, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%,." + decimals + "f", tick);
  }

  private static String text(double x, double y, String anchor, String size, String weight, String content) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%s\" "
        + "font-weight=\"%s\">%s</text>", x, y, anchor, size, weight, Html.escape(content));
  }
}
