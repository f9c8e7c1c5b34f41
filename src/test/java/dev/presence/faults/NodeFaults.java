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
    long unsolicited = sessions.stream().filter(t -> byClient.getOrDefault(t.client(), List.of()).stream()
        .anyMatch(e -> e.type() == EventType.ERROR_UNSOLICITED)).count();
    context.fact("live sessions closed by the merge", closed);
    context.fact("live sessions sent an error they did not ask for", unsolicited);
    context.fact("live sessions listed by every member after the merge (ms)", visibleAfter);
    context.fact("nick.lost / nick.restored among them, global", count(byClient, sessions, EventType.NICK_LOST, false)
        + " / " + count(byClient, sessions, EventType.NICK_RESTORED, false));
    context.fact("nick.lost / nick.restored among them, room nicknames",
        count(byClient, sessions, EventType.NICK_LOST, true) + " / "
            + count(byClient, sessions, EventType.NICK_RESTORED, true));
    long lostForNothing = awaitNicknamesSettled(context, sessions, ports.get(0));
    context.fact("nicknames lost with no other session's grant to show for it", lostForNothing);
    context.require("no live session is closed by the merge", closed == 0);
    context.require("no live session is sent an error it did not ask for", unsolicited == 0);
    context.require("every nickname told lost is given back or held by the session that won it",
        lostForNothing == 0);
    context.require("every live session is listed by every member within 15 s of the merge", visibleAfter >= 0);
  }

  /**
   * Waits (at most 15 s) until every nickname, global or room, that a session was told {@code nick.lost} and not given
   * back is held by some other session now (it was won meanwhile): a global one as its lease says, a room one as the
   * room's members list it.
   *
   * @return nicknames lost although nobody else holds them
   */
  private static long awaitNicknamesSettled(ScenarioContext context, List<TrackedSession> sessions, int port) {
    java.util.function.LongSupplier unsettled = () -> sessions.stream().mapToLong(t -> {
      List<HistoryEvent> events = context.history().byClient().getOrDefault(t.client(), List.of());
      Map<String, HistoryEvent> lastByScope = new java.util.HashMap<>(); // room, "" for the global nickname
      events.stream().filter(e -> e.type() == EventType.NICK_LOST || e.type() == EventType.NICK_RESTORED)
          .forEach(e -> lastByScope.put(e.room() == null ? "" : e.room(), e));
      return lastByScope.values().stream().filter(last -> last.type() == EventType.NICK_LOST)
          .filter(lost -> !heldByAnother(lost, t.session(), port)).count();
    }).sum();
    try {
      Awaitility.await("nicknames settled").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
          .until(() -> unsettled.getAsLong() == 0);
    } catch (ConditionTimeoutException e) {
      // reported by the caller
    }
    return unsettled.getAsLong();
  }

  /** @return whether another session than {@code session} holds the nickname {@code lost} told lost, in its scope */
  private static boolean heldByAnother(HistoryEvent lost, String session, int port) {
    if (lost.room() == null) {
      PresenceHttp.Response lease = PresenceHttp.nickname(AdminPorts.of(port), lost.nick());
      return lease.status() == 200 && !session.equals(lease.body().getString("session"))
          && "held".equals(lease.body().getString("state"));
    }
    String key = lost.nickKey();
    return RoomWatch.storeRoomNicks(port, lost.room()).entrySet().stream().anyMatch(m -> !m.getKey().equals(session)
        && key.equals(HistoryEvent.keyOf(m.getValue())));
  }

  /** @return how many events of {@code type} the sessions were told, about room nicknames or about global ones */
  private static long count(Map<String, List<HistoryEvent>> byClient, List<TrackedSession> sessions, EventType type,
      boolean rooms) {
    return sessions.stream().flatMap(t -> byClient.getOrDefault(t.client(), List.of()).stream())
        .filter(e -> e.type() == type && (e.room() != null) == rooms).count();
  }
}
