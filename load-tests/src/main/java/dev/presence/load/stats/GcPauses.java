package dev.presence.load.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stop-the-world pauses read from a JVM's {@code -Xlog:gc} file, between two JVM uptimes, so that a
 * latency tail can be set beside the pauses that happened meanwhile.
 *
 * @param count   pauses in the window
 * @param totalMs their summed duration, ms
 * @param maxMs   the longest, ms (NaN if none)
 */
public record GcPauses(int count, double totalMs, double maxMs) {

  /** {@code [12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 300M->100M(512M) 12.345ms}. */
  private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*\\bPause\\b.*\\s(\\d+\\.\\d+)ms\\s*$");

  /**
   * @param lines    the log's lines
   * @param fromSecs window start, JVM uptime in seconds (inclusive)
   * @param toSecs   window end, JVM uptime in seconds
   * @return the pauses that started in the window
   */
  public static GcPauses of(List<String> lines, double fromSecs, double toSecs) {
    int count = 0;
    double total = 0;
    double max = Double.NaN;
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (m.matches()) {
        double at = Double.parseDouble(m.group(1));
        if (at >= fromSecs && at <= toSecs) {
          double ms = Double.parseDouble(m.group(2));
          count++;
          total += ms;
          max = Double.isNaN(max) ? ms : Math.max(max, ms);
        }
      }
    }
    return new GcPauses(count, total, max);
  }

  /** @return the pauses of a log file over the JVM's whole life so far (none if unreadable) */
  public static GcPauses ofFile(Path log, double fromSecs, double toSecs) {
    try {
      return of(Files.readAllLines(log), fromSecs, toSecs);
    } catch (IOException e) {
      return new GcPauses(0, 0, Double.NaN);
    }
  }

  /** @return both windows' pauses together (several servers of one fleet) */
  public GcPauses plus(GcPauses other) {
    double max = Double.isNaN(maxMs) ? other.maxMs : Double.isNaN(other.maxMs) ? maxMs : Math.max(maxMs, other.maxMs);
    return new GcPauses(count + other.count, totalMs + other.totalMs, max);
  }
}
