package dev.presence.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Ghost window of one fault class in one view ({@code GET /presence} or {@code presence.events}): for each
 * session, the time from the fault to the moment every surviving node stopped reporting it in that view;
 * nearest-rank percentiles over the sessions.
 *
 * @param faultClass what was done (e.g. "client RST")
 * @param sessions   sessions measured
 * @param p50        median, ms
 * @param p99        99th percentile, ms
 * @param max        largest, ms
 * @param boundMs    what p99 must not exceed for the run to pass, or {@code null} when none is set (report only)
 * @param goalMs     the speed goal p99 is compared with in the report, never asserted, or {@code null} if none
 * @param neverGone  sessions some surviving node still listed when the watch ended (ghosts that stayed)
 */
public record GhostStats(String faultClass, int sessions, long p50, long p99, long max, Long boundMs,
    Long goalMs, int neverGone) {

  /**
   * @param faultAt per session id, epoch ms of its fault
   * @param goneAt  per session id, epoch ms from which no surviving node listed it (absent: never)
   * @return the statistics
   */
  public static GhostStats of(String faultClass, Map<String, Long> faultAt, Map<String, Long> goneAt, Long boundMs) {
    return of(faultClass, faultAt, goneAt, boundMs, null);
  }

  /**
   * @param faultAt per session id, epoch ms of its fault
   * @param goneAt  per session id, epoch ms from which no surviving node listed it (absent: never)
   * @param boundMs asserted p99 bound, or {@code null}
   * @param goalMs  reported p99 goal, or {@code null}
   * @return the statistics
   */
  public static GhostStats of(String faultClass, Map<String, Long> faultAt, Map<String, Long> goneAt, Long boundMs,
      Long goalMs) {
    List<Long> windows = new ArrayList<>();
    int never = 0;
    for (Map.Entry<String, Long> fault : faultAt.entrySet()) {
      Long gone = goneAt.get(fault.getKey());
      if (gone == null) {
        never++;
      } else {
        windows.add(Math.max(0, gone - fault.getValue()));
      }
    }
    Collections.sort(windows);
    return new GhostStats(faultClass, faultAt.size(), rank(windows, 0.50), rank(windows, 0.99),
        windows.isEmpty() ? 0 : windows.get(windows.size() - 1), boundMs, goalMs, never);
  }

  /** @return true if every session went away and, when bounded, p99 is within the bound */
  public boolean withinBound() {
    return neverGone == 0 && (boundMs == null || p99 <= boundMs);
  }

  /** @return true if every session went away and, when a goal is set, p99 meets it */
  public boolean meetsGoal() {
    return neverGone == 0 && (goalMs == null || p99 <= goalMs);
  }

  private static long rank(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
