package dev.presence.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Scenario 8: a network partition between members. Its own cluster runs with members on 127.0.0.2, .3
 * and .4 (HTTP on 127.0.0.1, so clients reach every node); iptables cuts .4 off from the others. The
 * majority (2 of 3) evicts the isolated node's sessions and keeps granting nicknames; the minority must
 * refuse every claim ({@code nick_unavailable}) and tell its own sessions their nicknames are lost; after
 * the heal and the merge, one holder per nickname, and the minority's live sessions are listed everywhere again
 * (none closed), each nickname either given back ({@code nick.restored}) or held by the session that won it.
 */
final class NetworkPartition implements Scenario {

  static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
  private static final int ISOLATED = 2;
  /** Claims made on the cut-off member right after the cut: enough that some land on partitions it owns. */
  private static final int EARLY_CLAIMS = 6;

  @Override
  public String name() {
    return "8 a network partition isolates one member (iptables on loopback aliases), then heals";
  }

  @Override
  public void run(ScenarioContext context) throws Exception {
    // The context's cluster is this scenario's own, on the loopback aliases (see FaultSuite).
    JarCluster cluster = context.cluster();
    JarNode isolated = cluster.node(ISOLATED);
    List<Integer> majority = cluster.portsExcept(ISOLATED);
    int count = context.size().nodeSessions();
    context.openSessions("s8b", 4, majority, true);
    List<TrackedSession> rivals = context.openSessions("s8r", majority.size(), majority, false);
    List<TrackedSession> minorityRivals = context.openSessions("s8m", 1, List.of(isolated.httpPort()), false);
    List<TrackedSession> earlyClaimants = context.openSessions("s8e", EARLY_CLAIMS, List.of(isolated.httpPort()),
        false);
    List<TrackedSession> lateRivals = context.openSessions("s8x", majority.size(), majority, false);
    List<TrackedSession> cut = context.openSessions("s8v", count, List.of(isolated.httpPort()), true);
    context.awaitListed(ScenarioContext.ids(cut), majority);
    context.faulted(isolated.httpPort());
    NodeFaults.expectHazelcastMemberLossErrors(context);
    long bound = context.timings().lostNodeBoundMs();
    String tag = "presence-faults-" + ProcessHandle.current().pid();
    // The watch subscribes before the cut: a subscription made during a partition reaches the other
    // members only once the cut-off one is removed (Vert.x keeps subscriptions in a Hazelcast map).
    try (GhostWatch watch = context.ghostWatch(majority);
        RivalClaims claims = new RivalClaims(rivals, Nicks.of("s8v", count));
        LoopbackPartition partition = LoopbackPartition.isolate(HOSTS.get(ISOLATED),
            List.of(HOSTS.get(0), HOSTS.get(1)), tag)) {
      long at = System.currentTimeMillis();
      context.fact("claims on the minority side in its first moments", earlyClaims(earlyClaimants));
      // Any of those granted by the cut-off member exists only on its side: the majority will find the
      // nickname free once it has removed the member. Its rivals try; the uniqueness checker judges.
      RivalClaims late = new RivalClaims(lateRivals, Nicks.of("s8e", EARLY_CLAIMS));
      watch.watchAll(ScenarioContext.ids(cut), at);
      watch.awaitAllGone(Duration.ofMillis(bound + 8_000));
      context.ghost(watch.stats("member partitioned away (majority side)", bound));
      context.fact("nicknames taken over by their users on the majority side",
          NodeFaults.reconnectKeepingNicks(context, cut, majority, Math.min(10, count / 2)));
      context.fact("claims on the minority side", minorityClaims(minorityRivals.get(0)));
      Thread.sleep(Math.max(0, at + context.size().partition().toMillis() - System.currentTimeMillis()));
      context.fact("minority sessions told nick.lost during the partition",
          context.history().ofType(EventType.NICK_LOST).stream().map(HistoryEvent::client).distinct().count());
      partition.heal();
      context.fact("partitioned for ms", System.currentTimeMillis() - at);
      context.fact("merged back within 60 s", awaitMerged(cluster, Duration.ofSeconds(60)));
      // The cut-off member's clients reached it all along (HTTP is on 127.0.0.1, not cut): live sessions.
      NodeFaults.judgeHeal(context, cut, System.currentTimeMillis(), cluster.ports());
      context.fact("rival claims of the isolated node's nicknames", claims.attempts());
      context.fact("rival claims granted", claims.granted());
      late.close();
      context.fact("majority claims of nicknames claimed early on the minority side (granted)",
          late.attempts() + " (" + late.granted() + ")");
    }
  }

  /**
   * Right after the cut, before any member noticed it, each claimant claims its own nickname on the cut-off
   * member at once. Claims whose partition that member owns may be granted there (Hazelcast's split-brain
   * protection cannot know of the cut yet); the others wait for owners on the other side, until the claim
   * deadline.
   *
   * @return answers: error code or "nick.ok" → count
   */
  private static Map<String, Integer> earlyClaims(List<TrackedSession> claimants) {
    Map<String, Integer> answers = new java.util.TreeMap<>();
    List<java.util.concurrent.CompletableFuture<io.vertx.core.json.JsonObject>> replies = new java.util.ArrayList<>();
    for (int i = 0; i < claimants.size(); i++) {
      replies.add(claimants.get(i).claim("s8eN" + i).toCompletionStage().toCompletableFuture());
    }
    for (var reply : replies) {
      try {
        io.vertx.core.json.JsonObject r = reply.get(10, java.util.concurrent.TimeUnit.SECONDS);
        answers.merge("nick.ok".equals(r.getString("type")) ? "nick.ok" : r.getString("code"), 1, Integer::sum);
      } catch (Exception e) {
        answers.merge("no answer", 1, Integer::sum);
      }
    }
    return answers;
  }

  /** @return the answers to a new user's claims on the minority side: error code or "nick.ok" → count */
  private static Map<String, Integer> minorityClaims(TrackedSession rival) {
    Map<String, Integer> answers = new java.util.TreeMap<>();
    for (int i = 0; i < 3; i++) {
      try {
        io.vertx.core.json.JsonObject reply = rival.claim("s8Minority" + i).toCompletionStage().toCompletableFuture()
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
        answers.merge("nick.ok".equals(reply.getString("type")) ? "nick.ok" : reply.getString("code"), 1,
            Integer::sum);
      } catch (Exception e) {
        answers.merge("no answer", 1, Integer::sum);
      }
    }
    return answers;
  }

  private static boolean awaitMerged(JarCluster cluster, Duration atMost) {
    try {
      Awaitility.await("partition merged").atMost(atMost).pollInterval(Duration.ofMillis(500))
          .until(cluster::isComplete);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
