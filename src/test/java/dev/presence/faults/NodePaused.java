package dev.presence.faults;

import dev.presence.testing.PresenceHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Scenario 6: the stale owner. A node is frozen with SIGSTOP for longer than the failure detector; the
 * others declare it dead, evict its sessions and put its nicknames into grace; some of its users
 * reconnect elsewhere and take their nicknames over (same-user overlap), while OTHER users try to claim
 * those nicknames throughout. Then it wakes (SIGCONT) believing it still owns them: its clients, alive all along,
 * keep their sessions (re-asserted, never closed), those whose nicknames were taken over are told, and after the
 * merge every node must agree on one holder per nickname.
 */
final class NodePaused implements Scenario {

  private static final int VICTIM = 0;

  @Override
  public String name() {
    return "6 a node is paused (SIGSTOP) past the failure detector, then woken (SIGCONT)";
  }

  @Override
  public void run(ScenarioContext context) throws InterruptedException {
    JarCluster cluster = context.cluster();
    JarNode victim = cluster.node(VICTIM);
    List<Integer> survivors = cluster.portsExcept(VICTIM);
    int count = context.size().nodeSessions();
    context.openSessions("s6b", 4, survivors, true);
    List<TrackedSession> rivals = context.openSessions("s6r", survivors.size(), survivors, false);
    List<TrackedSession> stale = context.openSessions("s6v", count, List.of(victim.httpPort()), true);
    context.awaitListed(ScenarioContext.ids(stale), survivors);
    context.faulted(victim.httpPort());
    NodeFaults.expectHazelcastMemberLossErrors(context);
    long bound = context.timings().lostNodeBoundMs();
    int takeovers = Math.min(10, count / 2);
    try (RivalClaims claims = new RivalClaims(rivals, Nicks.of("s6v", count))) {
      long at;
      try (GhostWatch watch = context.ghostWatch(survivors)) {
        at = System.currentTimeMillis(); // after the watch is subscribed everywhere: it takes a moment
        context.history().nodeWentSilent(victim.httpPort(), at);
        victim.pause();
        watch.watchAll(ScenarioContext.ids(stale), at);
        watch.awaitAllGone(Duration.ofMillis(bound + 8_000));
        context.ghost(watch.stats("node SIGSTOP past the failure detector", bound));
      }
      context.fact("nicknames taken over by their users while the node slept",
          NodeFaults.reconnectKeepingNicks(context, stale, survivors, takeovers));
      Thread.sleep(Math.max(0, at + context.size().pause().toMillis() - System.currentTimeMillis()));
      victim.resume();
      context.fact("paused for ms", System.currentTimeMillis() - at);
      boolean merged = awaitMerged(cluster, Duration.ofSeconds(60));
      context.fact("merged back within 60 s", merged);
      // What re-checks its leases at once: the node must take its standstill for a process pause, not a busy loop.
      double stalls = PresenceHttp.metric(victim.spec().adminPort(),
          "presence_event_loop_stalls_total{cause=\"process_paused\"}");
      context.fact("process pauses the woken node counted", stalls);
      context.require("the woken node took its standstill for a process pause", stalls >= 1);
      // Its clients never stopped heartbeating (the pause is shorter than the timeout): they are live sessions,
      // re-asserted once the node hears the cluster again; those whose users took the nickname over are told.
      NodeFaults.judgeHeal(context, stale, System.currentTimeMillis(), cluster.ports());
      context.fact("rival claims of the sleeping node's nicknames", claims.attempts());
      context.fact("rival claims granted", claims.granted());
    }
    context.fact("nodes disagreeing on a taken-over nickname's holder", holderDisagreements(context, stale, takeovers));
  }

  private static boolean awaitMerged(JarCluster cluster, Duration atMost) {
    try {
      Awaitility.await("paused node merged back").atMost(atMost).pollInterval(Duration.ofMillis(500))
          .until(cluster::isComplete);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** For each taken-over nickname: the nodes' leases name one session, the takeover's, everywhere. */
  private static int holderDisagreements(ScenarioContext context, List<TrackedSession> stale, int takeovers) {
    int disagreements = 0;
    for (int i = 0; i < takeovers; i++) {
      String nick = NodeFaults.nickOf(context.history(), stale.get(i));
      Map<Integer, String> holders = new TreeMap<>();
      for (int port : context.cluster().ports()) {
        try {
          holders.put(port, PresenceHttp.nickname(AdminPorts.of(port), nick).body().getString("session"));
        } catch (RuntimeException e) {
          holders.put(port, "unreachable");
        }
      }
      if (holders.values().stream().distinct().count() != 1) {
        disagreements++;
        System.out.println("[faults] " + nick + " holders per node: " + holders);
      }
    }
    return disagreements;
  }
}
