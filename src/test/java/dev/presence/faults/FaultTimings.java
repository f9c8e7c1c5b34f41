package dev.presence.faults;

/**
 * The heartbeat settings the nodes under test run with, and what the bounds derive from them.
 *
 * @param heartbeatMs        PRESENCE_HEARTBEAT_INTERVAL_MS
 * @param timeoutMs          PRESENCE_HEARTBEAT_TIMEOUT_MS
 * @param graceMs            PRESENCE_NICK_GRACE_MS
 * @param failureDetectionMs Hazelcast's hazelcast.max.no.heartbeat.seconds in the bundled config
 */
public record FaultTimings(long heartbeatMs, long timeoutMs, long graceMs, long failureDetectionMs) {

  /** The production defaults: 10 s pings, 30 s timeout, 60 s grace, members removed after 5 s. */
  public static final FaultTimings DEFAULTS = new FaultTimings(10_000, 30_000, 60_000, 5_000);

  /**
   * What the fault suite asserts for a FIN or RST from a client, p99 across nodes: generous, as every timed
   * test here is, because CI shares two cores between three node JVMs, the clients and the watchers, yet far
   * shorter than the heartbeat timeout (30 times with the defaults), so a reset
   * that is not treated as a close still fails it.
   */
  public long finOrRstBoundMs() {
    return 1_000;
  }

  /**
   * The speed goal for a FIN or RST from a client: every node stops listing the session within 250 ms
   * (p99). A benchmark figure, reported (met or missed) in every run's table and in the closing notes, not
   * asserted: whether it is met depends on the machine more than on the code.
   */
  public long finOrRstGoalMs() {
    return 250;
  }

  /** Bound for a silent client: the heartbeat timeout + 2 s. */
  public long silentClientBoundMs() {
    return timeoutMs + 2_000;
  }

  /**
   * Bound for a node killed or paused: failure detection + 4 s. After the member is removed, the survivors' eviction
   * query waits while Hazelcast re-homes its partitions (a third of them), on two cores shared with the rivals' claims
   * and the watchers: scenario 6 took 5.3 to 8.2 s on 2026-12-06, with and without that day's changes (it had taken
   * 5.3 to 5.7 s, under the 7 s bound then). Still far below the heartbeat timeout (30 s), so a member loss that
   * evicts nobody, leaving the sessions to the sweep, fails it.
   */
  public long lostNodeBoundMs() {
    return failureDetectionMs + 4_000;
  }

  /**
   * Bound for two members lost together (a machine, or the small side of a split), on the five-node cluster:
   * {@link #lostNodeBoundMs()} plus 11 s (20 s in all, as before that bound grew by 2 s). Each member is suspected on its own (their last heartbeats may be a period
   * apart), and only then does the eviction query run, while Hazelcast re-homes the two members' partitions (some
   * 40 % of them): queries wait for those migrations. With five JVMs on two cores that took 4 to 5 s on this machine
   * (scenario 14's logs: members removed at +4.9 s and +5.9 s after the cut, their sessions evicted at +9.7 s) and up
   * to 15 s in a CI run (scenario 14's 3-side: p50 8.9 s, max 14.9 s). Still below the heartbeat timeout (30 s) and so
   * the sweep's stale-after, so a member loss that evicts nobody still fails it.
   */
  public long lostMachineBoundMs() {
    return lostNodeBoundMs() + 11_000;
  }
}
