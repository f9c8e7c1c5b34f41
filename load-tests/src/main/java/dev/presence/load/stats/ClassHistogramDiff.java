package dev.presence.load.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What grew between two {@code jcmd GC.class_histogram} outputs of one JVM: per class the bytes and instances
 * added, the largest growth first. Tells where a per-membership (or per-session) cost goes. Pure.
 */
public final class ClassHistogramDiff {

  /** {@code    1:        123456       9876543  [B (java.base@17)} */
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private ClassHistogramDiff() {
  }

  /**
   * @param before the histogram text taken first
   * @param after  the histogram text taken later
   * @param top    how many classes to list
   * @param per    divide the growth by this (memberships added) for the last column; ≤ 0 leaves it out
   * @return a text table: bytes added, instances added, bytes per {@code per}, class; the largest growth first,
   *     then the total over every class
   */
  public static String diff(String before, String after, int top, long per) {
    Map<String, long[]> was = parse(before);
    Map<String, long[]> now = parse(after);
    List<Map.Entry<String, long[]>> growth = new ArrayList<>();
    long totalBytes = 0;
    for (Map.Entry<String, long[]> e : now.entrySet()) {
      long[] old = was.getOrDefault(e.getKey(), new long[2]);
      long[] delta = {e.getValue()[0] - old[0], e.getValue()[1] - old[1]};
      totalBytes += delta[1];
      growth.add(Map.entry(e.getKey(), delta));
    }
    for (Map.Entry<String, long[]> e : was.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        totalBytes -= e.getValue()[1];
      }
    }
    growth.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
    StringBuilder text = new StringBuilder(String.format("%14s %12s %10s  %s%n", "bytes added", "instances",
        per > 0 ? "bytes/each" : "", "class"));
    for (int i = 0; i < Math.min(top, growth.size()); i++) {
      long[] d = growth.get(i).getValue();
      text.append(String.format("%,14d %,12d %10s  %s%n", d[1], d[0], per > 0 ? String.format("%,.0f",
          d[1] / (double) per) : "", growth.get(i).getKey()));
    }
    text.append(String.format("%,14d %12s %10s  %s", totalBytes, "", per > 0 ? String.format("%,.0f",
        totalBytes / (double) per) : "", "(every class)"));
    return text.toString();
  }

  /**
   * @param histogram a {@code GC.class_histogram} text
   * @return the bytes of every class it lists, summed (the live heap after the full GC the command runs)
   */
  public static long totalBytes(String histogram) {
    return parse(histogram).values().stream().mapToLong(row -> row[1]).sum();
  }

  private static Map<String, long[]> parse(String histogram) {
    Map<String, long[]> rows = new HashMap<>();
    for (String line : histogram.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return rows;
  }
}
