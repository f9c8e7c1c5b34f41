package dev.presence.faults;

import java.time.Duration;
import java.util.List;

/**
 * Scenario 5: a node process holding sessions with nicknames is killed with kill -9. The survivors must
 * evict its sessions within failure detection + 2 s, keep its nicknames in grace (other users refused
 * throughout), give them back to their users on reconnect, and disturb none of their own sessions.
 */
final class NodeKilled implements Scenario {

  private static final int VICTIM = 2;

  @Override
  public String name() {
    return "5 a node process holding sessions is killed with kill -9";
  }

  @Override
  public void run(ScenarioContext context) {
    JarCluster cluster = context.cluster();
    JarNode victim = cluster.node(VICTIM);
    List<Integer> survivors = cluster.portsExcept(VICTIM);
    int count = context.size().nodeSessions();
    context.openSessions("s5b", 4, survivors, true);
    List<TrackedSession> rivals = context.openSessions("s5r", survivors.size(), survivors, false);
    List<TrackedSession> doomed = context.openSessions("s5v", count, List.of(victim.httpPort()), true);
    context.awaitListed(ScenarioContext.ids(doomed), survivors);
    context.faulted(victim.httpPort());
    NodeFaults.expectHazelcastMemberLossErrors(context);
    long bound = context.timings().lostNodeBoundMs();
    try (GhostWatch watch = context.ghostWatch(survivors);
        RivalClaims claims = new RivalClaims(rivals, Nicks.of("s5v", count))) {
      long at = System.currentTimeMillis();
      context.history().nodeWentSilent(victim.httpPort(), at);
      victim.kill9();
      watch.watchAll(ScenarioContext.ids(doomed), at);
      watch.awaitAllGone(Duration.ofMillis(bound + 8_000));
      context.ghost(watch.stats("node kill -9", bound));
      int reconnecting = Math.min(10, count);
      int kept = NodeFaults.reconnectKeepingNicks(context, doomed, survivors, reconnecting);
      context.fact("nicknames kept by their users on reconnect", kept);
      context.require("every reconnecting user gets its nickname back", kept == reconnecting);
      context.fact("rival claims of the dead node's nicknames", claims.attempts());
      context.fact("rival claims granted", claims.granted());
    }
    cluster.replace(VICTIM);
  }
}
