package dev.presence.faults;

import dev.presence.testing.PresenceHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Steps shared by the node-fault scenarios. */
final class NodeFaults {

  private NodeFaults() {
  }

  /**
   * Declares the ERROR lines Hazelcast itself logs around a member loss and its return, none of them a crash
   * of ours:
   * <ul>
   *   <li>{@code CallerNotMemberException} ("Not Member!") when the cut-off member, back again, still receives
   *       operations from members that removed it;</li>
   *   <li>"claims mastership but it is not a member" when a woken former master tries to lead again, and "claims
   *       mastership but this node is master" when the two sides of a split, each with its own master, meet;</li>
   *   <li>its merge task's refused cluster-state locks while partition migrations are pending or the members'
   *       partition tables still differ ("Partition tables have different stamps");</li>
   *   <li>"Promotion of N partitions failed" when a member is removed while backups are being promoted to owners
   *       (two members paused at once);</li>
   *   <li>{@code ResponseAlreadySentException} ("NormalResponse already responseReceived") when an entry
   *       operation is completed both by the member-left handling and by its own response (the race of
   *       hazelcast/hazelcast#11839); the invocation has its one result either way;</li>
   *   <li>Vert.x's own "Connection reset" (logged by {@code ConnectionBase} for a socket without an exception
   *       handler, as the clustered event bus's server side is) when the lost member's event-bus connection is
   *       reset by its death: a peer killed with unread data in its socket answers with RST, not FIN.</li>
   * </ul>
   */
  static void expectHazelcastMemberLossErrors(ScenarioContext context) {
    context.expectErrorLine(".* ERROR .*PartitionIteratingOperation - .*Not Member!.*");
    context.expectErrorLine(".* ERROR .*FetchMembersViewOp - .*claims mastership but it is not a member!.*");
    // After a split each side has a master; when the sides meet again, one refuses the other's claim.
    context.expectErrorLine(".* ERROR .*FetchMembersViewOp - .*claims mastership but this node is master!.*");
    // Both refusals of its merge task's cluster-state lock: pending migrations, or partition tables whose stamps
    // still differ between members.
    context.expectErrorLine(".* ERROR .*LockClusterStateOp - .*(?i:can ?not lock cluster state).*");
    context.expectErrorLine(".* ERROR .*EntryOperation - .*NormalResponse already responseReceived.*");
    // A member removed while partition promotions were under way (two members paused at once) refuses their commit.
    context.expectErrorLine(".* ERROR .*PromotionCommitOperation - .*Promotion of \\d+ partitions failed.*");
    context.expectErrorLine(".* ERROR .*ConnectionBase - Connection reset\\s*");
  }

  /**
   * The first {@code count} users of {@code lost} sessions reconnect to the survivors (round robin) with
   * the same user and nickname in hello.
   *
   * @return how many were welcomed with their nickname
   */
  static int reconnectKeepingNicks(ScenarioContext context, List<TrackedSession> lost, List<Integer> survivors,
      int count) {
    int kept = 0;
    for (int i = 0; i < count; i++) {
      TrackedSession old = lost.get(i);
      String nick = nickOf(context.history(), old);
      TrackedSession fresh = context.open(survivors.get(i % survivors.size()), old.user(), nick);
      boolean gotIt = context.history().byClient().get(fresh.client()).stream()
          .anyMatch(e -> e.type() == EventType.WELCOME && Objects.equals(e.nick(), nick));
      kept += gotIt ? 1 : 0;
    }
    return kept;
  }

  /** @return the nickname {@code session} was welcomed with */
  static String nickOf(History history, TrackedSession session) {
    return history.byClient().get(session.client()).stream().filter(e -> e.type() == EventType.WELCOME)
        .map(HistoryEvent::nick).findFirst().orElse(null);
  }

  /**
   * The figures a healed split or a woken node is judged by (docs/consistency.md, "A healed split"), for the live
   * sessions of the member that was cut off: none of them closed by the merge, all of them listed by every member
   * again, and what became of their nicknames. Records them as facts and requires the promises.
   *
   * @param context  the scenario
   * @param sessions live sessions (their clients never stopped) of the member that was cut off
   * @param healedAt epoch ms when the cluster was whole again (merged)
   * @param ports    every member's HTTP port
   */
  static void judgeHeal(ScenarioContext context, List<TrackedSession> sessions, long healedAt, List<Integer> ports) {
    Set<String> ids = ScenarioContext.ids(sessions);
    long visibleAfter = -1;
    try {
      Awaitility.await("live sessions listed by every member").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> ports.stream().allMatch(p -> PresenceHttp.sessions(AdminPorts.of(p)).containsAll(ids)));
      visibleAfter = System.currentTimeMillis() - healedAt;
    } catch (ConditionTimeoutException e) {
      // required below
    }
    Map<String, List<HistoryEvent>> byClient = context.history().byClient();
    long closed = sessions.stream().filter(TrackedSession::isClosed).count();
    long lost = sessions.stream().filter(t -> has(byClient, t, EventType.NICK_LOST)).count();
    long restored = sessions.stream().filter(t -> has(byClient, t, EventType.NICK_RESTORED)).count();
    context.fact("live sessions closed by the merge", closed);
    context.fact("live sessions listed by every member after the merge (ms)", visibleAfter);
    context.fact("nick.lost / nick.restored among them", lost + " / " + restored);
    long lostForNothing = awaitNicknamesSettled(context, sessions, ports.get(0));
    context.fact("nicknames lost with no other session's grant to show for it", lostForNothing);
    context.require("no live session is closed by the merge", closed == 0);
    context.require("every nickname told lost is given back or held by the session that won it",
        lostForNothing == 0);
    context.require("every live session is listed by every member within 15 s of the merge", visibleAfter >= 0);
  }

  /**
   * Waits (at most 15 s) until every session that was told {@code nick.lost} and not given it back holds nothing
   * another session does not hold now: its nickname must be held by some other session (it was won meanwhile).
   *
   * @return sessions whose nickname was lost although nobody else holds it
   */
  private static long awaitNicknamesSettled(ScenarioContext context, List<TrackedSession> sessions, int port) {
    java.util.function.LongSupplier unsettled = () -> sessions.stream().filter(t -> {
      List<HistoryEvent> events = context.history().byClient().getOrDefault(t.client(), List.of());
      HistoryEvent last = events.stream().filter(e -> e.type() == EventType.NICK_LOST
          || e.type() == EventType.NICK_RESTORED).reduce((a, b) -> b).orElse(null);
      if (last == null || last.type() == EventType.NICK_RESTORED) {
        return false;
      }
      PresenceHttp.Response lease = PresenceHttp.nickname(AdminPorts.of(port), last.nick());
      return lease.status() != 200 || t.session().equals(lease.body().getString("session"))
          || !"held".equals(lease.body().getString("state"));
    }).count();
    try {
      Awaitility.await("nicknames settled").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
          .until(() -> unsettled.getAsLong() == 0);
    } catch (ConditionTimeoutException e) {
      // reported by the caller
    }
    return unsettled.getAsLong();
  }

  private static boolean has(Map<String, List<HistoryEvent>> byClient, TrackedSession session, EventType type) {
    return byClient.getOrDefault(session.client(), List.of()).stream().anyMatch(e -> e.type() == type);
  }
}
