package dev.presence.faults;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Scenario 14: the quorum follows the configured maximum, not the members seen (docs/consistency.md, mechanism 2).
 * The cluster starts with 3 nodes and {@code PRESENCE_CLUSTER_SIZE=5} (quorum 3), grants nicknames, is scaled out to
 * 5 as an autoscaler would, then split 2 | 3 by iptables on loopback aliases. A quorum taken from the members last
 * seen together (5 → 3, or the 3 the cluster started with → 2) would let the 2-side grant; with the configured maximum
 * the 2-side refuses every claim ({@code nick_unavailable}) while the 3-side grants. After the heal, one holder per
 * nickname, and the 2-side's live sessions are listed everywhere again, none closed.
 */
final class ScaledSplit implements Scenario {

  /** Nodes started before the scale-out. */
  static final int INITIAL = 3;
  /** The nodes cut off: the two added by the scale-out, on one machine ({@link MachineLost#MACHINES} says why). */
  private static final List<Integer> MINORITY = List.of(3, 4);
  /** Fresh nicknames claimed on each side once both have noticed the cut. */
  private static final int CLAIMS = 3;

  @Override
  public String name() {
    return "14 a cluster scaled from 3 to 5 nodes (PRESENCE_CLUSTER_SIZE=5) splits 2 | 3 (iptables), then heals";
  }

  @Override
  public void run(ScenarioContext context) throws InterruptedException {
    JarCluster cluster = context.cluster();
    context.require("the cluster starts with " + INITIAL + " of 5 nodes", cluster.nodes().size() == INITIAL);
    List<TrackedSession> beforeScaling = context.openSessions("s14a", INITIAL, cluster.ports(), true);
    long grantedAtThree = beforeScaling.stream().filter(s -> NodeFaults.nickOf(context.history(), s) != null).count();
    context.fact("nicknames granted at 3 of 5 nodes (quorum 3)", grantedAtThree + " of " + beforeScaling.size());
    context.require("3 of 5 nodes are a quorum", grantedAtThree == beforeScaling.size());
    cluster.scaleOut();
    context.fact("nodes after scaling out", cluster.nodes().size());
    List<Integer> minority = MINORITY.stream().map(i -> cluster.node(i).httpPort()).toList();
    List<Integer> majority = cluster.ports().stream().filter(p -> !minority.contains(p)).toList();
    List<String> minorityHosts = MINORITY.stream().map(i -> cluster.node(i).spec().clusterHost()).toList();
    List<String> majorityHosts = cluster.nodes().stream().map(n -> n.spec().clusterHost())
        .filter(h -> !minorityHosts.contains(h)).toList();
    int count = Math.max(8, context.size().nodeSessions() / 2);
    List<TrackedSession> cut = context.openSessions("s14v", count, minority, true);
    context.openSessions("s14b", 4, majority, true);
    List<TrackedSession> minorityClaimants = context.openSessions("s14m", minority.size(), minority, false);
    List<TrackedSession> majorityClaimants = context.openSessions("s14g", majority.size(), majority, false);
    List<TrackedSession> rivals = context.openSessions("s14r", majority.size(), majority, false);
    context.awaitListed(ScenarioContext.ids(cut), majority);
    // The 2-side's own sessions are told nick.lost by design (self-fencing without quorum): judged by judgeHeal.
    minority.forEach(context::faulted);
    NodeFaults.expectHazelcastMemberLossErrors(context);
    long bound = context.timings().lostMachineBoundMs();
    String tag = "presence-faults-" + ProcessHandle.current().pid();
    try (GhostWatch watch = context.ghostWatch(majority);
        RivalClaims claims = new RivalClaims(rivals, Nicks.of("s14v", count));
        LoopbackPartition partition = LoopbackPartition.split(minorityHosts, majorityHosts, tag)) {
      long at = System.currentTimeMillis();
      watch.watchAll(ScenarioContext.ids(cut), at);
      watch.awaitAllGone(Duration.ofMillis(bound + 8_000));
      context.ghost(watch.stats("two of five members partitioned away (3-side)", bound));
      // Both sides have noticed by now: the 3-side removed the two (it evicted their sessions), and the 2-side has
      // heard from only 2 members for longer than the quorum's 2 s tolerance.
      Map<String, Integer> onTwo = claims(minorityClaimants, "s14M", 1);
      // A claim the 3-side answers nick_unavailable while it still re-homes the lost members' partitions (its claim
      // deadline is 2 s) is retried, as a client would: what matters is that it grants, and every nickname.
      Map<String, Integer> onThree = claims(majorityClaimants, "s14G", 5);
      context.fact("fresh claims on the 2-side", onTwo);
      context.fact("fresh claims on the 3-side (retrying nick_unavailable up to 5 times)", onThree);
      context.require("the 2-side refuses every nickname (no quorum)",
          onTwo.keySet().equals(Set.of("nick_unavailable")));
      context.require("the 3-side grants every nickname", onThree.getOrDefault("nick.ok", 0)
          == majorityClaimants.size() * CLAIMS);
      Thread.sleep(Math.max(0, at + context.size().partition().toMillis() - System.currentTimeMillis()));
      partition.heal();
      context.fact("partitioned for ms", System.currentTimeMillis() - at);
      boolean merged = awaitMerged(cluster, Duration.ofSeconds(60));
      context.fact("merged back within 60 s", merged);
      context.require("the cluster merged back within 60 s", merged);
      // The 2-side's clients reached it all along (HTTP is on 127.0.0.1, not cut): live sessions.
      NodeFaults.judgeHeal(context, cut, System.currentTimeMillis(), cluster.ports());
      context.fact("rival claims of the 2-side's nicknames (granted)", claims.attempts() + " (" + claims.granted()
          + ")");
    }
  }

  /**
   * Each claimant claims {@value #CLAIMS} fresh nicknames of its own, one at a time, each up to {@code attempts}
   * times while the answer is {@code nick_unavailable} (1 s apart).
   *
   * @return every answer: error code or "nick.ok" → count
   */
  private static Map<String, Integer> claims(List<TrackedSession> claimants, String prefix, int attempts)
      throws InterruptedException {
    Map<String, Integer> answers = new TreeMap<>();
    for (int c = 0; c < claimants.size(); c++) {
      for (int i = 0; i < CLAIMS; i++) {
        for (int attempt = 0; attempt < attempts; attempt++) {
          String answer = claim(claimants.get(c), prefix + c + "x" + i);
          answers.merge(answer, 1, Integer::sum);
          if (!"nick_unavailable".equals(answer) || attempt + 1 == attempts) {
            break;
          }
          Thread.sleep(1_000);
        }
      }
    }
    return answers;
  }

  /** @return "nick.ok", the error code, or "no answer" (within 10 s) */
  private static String claim(TrackedSession claimant, String nick) {
    try {
      JsonObject reply = claimant.claim(nick).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return "nick.ok".equals(reply.getString("type")) ? "nick.ok" : reply.getString("code");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "no answer";
    } catch (Exception e) {
      return "no answer";
    }
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
