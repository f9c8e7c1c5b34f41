package dev.presence.faults;

import java.time.Duration;
import java.util.Locale;

/**
 * How big a run is: CI (every scenario, small counts, a few minutes on 2 cores) or FULL (larger counts,
 * longer pauses).
 *
 * @param clientProcessSessions sessions in each client process (scenarios 1, 2)
 * @param resetConnections      connections reset at once (scenario 3)
 * @param churnConnections      connections opened and closed during the churn (scenario 4)
 * @param churnConcurrency      churn connections open at the same time
 * @param claimers              sessions claiming and releasing hot nicknames during the churn
 * @param hotNicks              size of the hot nickname set
 * @param churnTime             how long the claimers run at most
 * @param nodeSessions          sessions (with nicknames) on the node that is killed, paused or drained
 * @param pause                 how long a node stays SIGSTOPped (longer than the 5 s failure detector)
 * @param partition             how long the partition stays cut
 */
public record FaultSize(String name, int clientProcessSessions, int resetConnections, int churnConnections,
    int churnConcurrency, int claimers, int hotNicks, Duration churnTime, int nodeSessions, Duration pause,
    Duration partition) {

  /** Small counts: the whole suite within a few minutes on a 2-core machine. */
  public static final FaultSize CI = new FaultSize("ci", 20, 100, 300, 40, 8, 4, Duration.ofSeconds(8), 20,
      Duration.ofSeconds(8), Duration.ofSeconds(10));

  /** Larger counts and longer pauses. */
  public static final FaultSize FULL = new FaultSize("full", 200, 1_000, 3_000, 200, 30, 8, Duration.ofSeconds(30),
      200, Duration.ofSeconds(15), Duration.ofSeconds(20));

  /** @return CI or FULL by name ("ci", "full") */
  public static FaultSize named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "ci" -> CI;
      case "full" -> FULL;
      default -> throw new IllegalArgumentException("size must be ci or full, not " + name);
    };
  }
}
