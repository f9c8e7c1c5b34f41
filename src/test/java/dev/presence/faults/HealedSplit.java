package dev.presence.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Scenario 9: a healed split closes no live session. Two of the three members are paused (SIGSTOP) past the failure
 * detector while clients stay connected to the third: some connected before the split, some during it. The lone
 * member keeps serving them (without the nickname quorum, so it self-fences their nicknames); the paused pair wakes,
 * the cluster merges, and the lone member's presence entries are discarded by the merge. Its sessions must be
 * re-asserted, never closed: listed by every member within 15 s of the merge, nicknames given back where nobody else
 * won them ({@code nick.restored}), no duplicate owner.
 */
final class HealedSplit implements Scenario {

  private static final int LONE = 2;

  @Override
  public String name() {
    return "9 two of three members paused past the failure detector while clients stay on the third, then woken";
  }

  @Override
  public void run(ScenarioContext context) throws InterruptedException {
    JarCluster cluster = context.cluster();
    JarNode lone = cluster.node(LONE);
    List<JarNode> paused = List.of(cluster.node(0), cluster.node(1));
    List<Integer> lonePort = List.of(lone.httpPort());
    int count = Math.max(8, context.size().nodeSessions() / 2);
    List<TrackedSession> before = context.openSessions("s9b", count, lonePort, true);
    context.awaitListed(ScenarioContext.ids(before), cluster.ports());
    // The paused pair is the fault; the lone member's own sessions lose their nicknames to self-fencing during
    // the split by design (no quorum), which the false-eviction checker would count: they are judged below instead.
    paused.forEach(node -> context.faulted(node.httpPort()));
    context.faulted(lone.httpPort());
    NodeFaults.expectHazelcastMemberLossErrors(context);
    long at = System.currentTimeMillis();
    context.history().nodeWentSilent(paused.get(0).httpPort(), at);
    context.history().nodeWentSilent(paused.get(1).httpPort(), at);
    paused.forEach(JarNode::pause);
    // Past the failure detector, the lone member serves new clients alone.
    Thread.sleep(context.timings().failureDetectionMs() + 2_000);
    List<TrackedSession> during = context.openSessions("s9d", Math.max(4, count / 2), lonePort, false);
    context.fact("sessions connected before / during the split", before.size() + " / " + during.size());
    Thread.sleep(Math.max(0, at + context.size().pause().toMillis() - System.currentTimeMillis()));
    paused.forEach(JarNode::resume);
    context.fact("paused for ms", System.currentTimeMillis() - at);
    boolean merged = awaitMerged(cluster, Duration.ofSeconds(60));
    context.fact("merged back within 60 s", merged);
    context.require("the cluster merged back within 60 s", merged);
    List<TrackedSession> live = new ArrayList<>(before);
    live.addAll(during);
    NodeFaults.judgeHeal(context, live, System.currentTimeMillis(), cluster.ports());
  }

  private static boolean awaitMerged(JarCluster cluster, Duration atMost) {
    try {
      Awaitility.await("split healed").atMost(atMost).pollInterval(Duration.ofMillis(500)).until(cluster::isComplete);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
