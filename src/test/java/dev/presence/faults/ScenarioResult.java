package dev.presence.faults;

import java.util.List;
import java.util.Map;

/**
 * What one scenario measured: the checkers' verdicts and the facts worth a line in the report.
 *
 * @param name             story-style scenario name
 * @param skipped          why it did not run, or {@code null}
 * @param failure          an exception that broke the scenario itself, or {@code null}
 * @param durationMs       wall-clock time of the scenario
 * @param sessions         client sessions recorded in its history
 * @param events           history events
 * @param ghosts           ghost windows per fault class
 * @param duplicateOwners  uniqueness: different users holding one nickname at one instant (must be 0)
 * @param sameUserOverlaps two sessions of one user holding one nickname at one instant (allowed)
 * @param falseEvictions   healthy sessions closed or told nick.lost (must be 0)
 * @param crashes          nodes not alive that should be, and unexpected ERROR lines (must be empty)
 * @param faultedTold      what the sessions of the faulted node or client were told → sessions
 * @param facts            scenario-specific counts (claims refused, nicknames kept, ...)
 * @param examples         examples of duplicate owners and false evictions, for diagnosis
 * @param rooms            the room watch's figures (issue #13), or {@code null} if the scenario started none
 */
public record ScenarioResult(String name, String skipped, String failure, long durationMs, int sessions, int events,
    List<GhostStats> ghosts, int duplicateOwners, int sameUserOverlaps, int falseEvictions, List<String> crashes,
    Map<String, Integer> faultedTold, Map<String, Object> facts, List<String> examples, RoomFigures rooms) {

  /** @return a result for a scenario that could not be run here */
  public static ScenarioResult skipped(String name, String why) {
    return new ScenarioResult(name, why, null, 0, 0, 0, List.of(), 0, 0, 0, List.of(), Map.of(), Map.of(), List.of(),
        null);
  }

  /** @return true if it ran and every checker holds */
  public boolean passed() {
    return skipped == null ? failure == null && duplicateOwners == 0 && falseEvictions == 0 && crashes.isEmpty()
        && ghosts.stream().allMatch(GhostStats::withinBound) && (rooms == null || rooms.passed()) : true;
  }
}
