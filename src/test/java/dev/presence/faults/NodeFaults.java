package dev.presence.faults;

import java.util.List;
import java.util.Objects;

/** Steps shared by the node-fault scenarios. */
final class NodeFaults {

  private NodeFaults() {
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
