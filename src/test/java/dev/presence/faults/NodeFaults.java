package dev.presence.faults;

import java.util.List;
import java.util.Objects;

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
   *   <li>"claims mastership but it is not a member" when a woken former master tries to lead again;</li>
   *   <li>its merge task's refused cluster-state locks while partition migrations are pending or the members'
   *       partition tables still differ ("Partition tables have different stamps");</li>
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
    // Both refusals of its merge task's cluster-state lock: pending migrations, or partition tables whose stamps
    // still differ between members.
    context.expectErrorLine(".* ERROR .*LockClusterStateOp - .*(?i:can ?not lock cluster state).*");
    context.expectErrorLine(".* ERROR .*EntryOperation - .*NormalResponse already responseReceived.*");
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
}
