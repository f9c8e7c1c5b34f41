package dev.presence.faults;

import java.util.List;
import java.util.Map;

/**
 * What one scenario's room watch measured (issue #13, "Truth under failure"): how the room watchers' views
 * converged on the store after each fault, what kept them honest, and the room checkers' verdicts.
 *
 * @param rooms            the scenario's rooms
 * @param watchers         watcher sessions (some on every node)
 * @param members          sessions that joined a room (answered {@code joined})
 * @param convergence      one per checkpoint (a fault's ghosts gone, the scenario's end)
 * @param gaps             sequence gaps the watchers saw (each answered by a resubscribe)
 * @param unresolvedGaps   rooms of live watchers still stale (gap or resync without a fresh snapshot) at the end
 * @param digestsMatched   digests that equalled a watcher's view
 * @param digestMismatches digests that did not (a silent divergence; must be 0)
 * @param corrections      leaves with reason {@code gone} the watchers saw (each watcher counts its own): members the
 *                         nodes' tick found gone from the store before the {@code room.leave} reached them, or never
 * @param falseEvictions   room leaves of live members that did nothing to end (must be 0)
 * @param faultedReasons   reasons of the room leaves of members that were faulted or ended (first per member and
 *                         room) → count
 * @param examples         up to 10 false room evictions, readable
 */
public record RoomFigures(List<String> rooms, int watchers, int members, List<Convergence> convergence, int gaps,
    int unresolvedGaps, int digestsMatched, int digestMismatches, int corrections, int falseEvictions,
    Map<String, Integer> faultedReasons, List<String> examples) {

  /** The bound: every watcher's view equals the store within this long after a fault ended (issue #13). */
  public static final long CONVERGENCE_BOUND_MS = 2_000;

  /**
   * One convergence check.
   *
   * @param checkpoint what had just ended
   * @param watchers   live watchers checked
   * @param ms         ms from the checkpoint until every view of every room equalled the store, -1 if never within
   *                   the wait
   * @param detail     the first difference still seen at the bound, or {@code ""}
   */
  public record Convergence(String checkpoint, int watchers, long ms, String detail) {

    /** @return true if it converged within {@link #CONVERGENCE_BOUND_MS} */
    public boolean within() {
      return ms >= 0 && ms <= CONVERGENCE_BOUND_MS;
    }
  }

  /** @return every convergence within its bound, no gap left stale, no digest mismatch, no false room eviction */
  public boolean passed() {
    return convergence.stream().allMatch(Convergence::within) && unresolvedGaps == 0 && digestMismatches == 0
        && falseEvictions == 0;
  }

  /** @return the slowest convergence (ms), -1 if one never converged, 0 if none was checked */
  public long slowestConvergenceMs() {
    return convergence.stream().mapToLong(Convergence::ms).reduce(0, (a, b) -> a < 0 || b < 0 ? -1 : Math.max(a, b));
  }
}
