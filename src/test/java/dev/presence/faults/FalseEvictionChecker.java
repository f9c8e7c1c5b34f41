package dev.presence.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * No false eviction, measured from a {@link History}: a session that kept heartbeating on a healthy node
 * and did nothing to end itself must never be closed by the server (except with a close code the scenario
 * caused on purpose) and never be told {@code nick.lost}. Sessions on a faulted node, and sessions whose
 * own client was killed or frozen, are excepted; what they were told is tallied for the report. Pure.
 */
public final class FalseEvictionChecker {

  private FalseEvictionChecker() {
  }

  /**
   * @param falseEvictions sessions of healthy clients on healthy nodes closed or told nick.lost (must be 0)
   * @param examples       up to 10 of them, readable
   * @param faultedTold    what the excepted sessions were told: "close 4002", "nick.lost", ... → sessions
   */
  public record Verdict(int falseEvictions, List<String> examples, Map<String, Integer> faultedTold) {
  }

  /**
   * @param history            what the clients were told and did
   * @param faultedPorts       HTTP ports of nodes the scenario killed, paused, drained or cut off
   * @param expectedCloseCodes close codes the scenario causes on healthy sessions (e.g. 4001 on a takeover)
   * @return the count
   */
  public static Verdict check(History history, Set<Integer> faultedPorts, Set<Integer> expectedCloseCodes) {
    int falseEvictions = 0;
    List<String> examples = new ArrayList<>();
    Map<String, Integer> told = new TreeMap<>();
    for (List<HistoryEvent> events : history.byClient().values()) {
      HistoryEvent first = events.get(0);
      boolean excepted = faultedPorts.contains(first.port())
          || events.stream().anyMatch(e -> e.type() == EventType.CLIENT_KILLED || e.type() == EventType.CLIENT_STOPPED);
      boolean clientActed = false;
      for (HistoryEvent e : events) {
        clientActed |= e.type().isClientAction();
        String what = whatItWasTold(e);
        if (what == null || clientActed) {
          continue;
        }
        if (excepted) {
          told.merge(what, 1, Integer::sum);
        } else if (e.type() == EventType.NICK_LOST || !expectedCloseCodes.contains(e.code())) {
          falseEvictions++;
          if (examples.size() < 10) {
            examples.add(first.user() + " on port " + first.port() + " (" + first.client() + "): " + what);
          }
        }
      }
    }
    return new Verdict(falseEvictions, examples, told);
  }

  /**
   * No false eviction from a room (issue #13): a member that kept heartbeating on a healthy node and did nothing to
   * end must never leave a watcher's view of a room. A leave counts once per member and room (the first watcher to
   * see it). Excused: members of faulted nodes and killed or frozen clients (their leave reasons are tallied), a
   * member whose client acted (bye, close, reset) at or before the leave, and a member whose session the server
   * closed (the close is {@link #check}'s to judge). Leaves of sessions the history does not know (watchers,
   * probes) are ignored. The reasons of the leaves that are not false (faulted or ended members) are tallied. Pure.
   *
   * @param history      what the clients were told and did
   * @param faultedPorts HTTP ports of nodes the scenario killed, paused, drained or cut off
   * @param leaves       every room leave the watchers saw
   * @return false room evictions, examples, and the other leaves' reasons → count
   */
  public static Verdict checkRooms(History history, Set<Integer> faultedPorts, List<RoomLeave> leaves) {
    Map<String, List<HistoryEvent>> bySession = new java.util.HashMap<>();
    for (List<HistoryEvent> events : history.byClient().values()) {
      events.stream().map(HistoryEvent::session).filter(java.util.Objects::nonNull).distinct()
          .forEach(session -> bySession.put(session, events));
    }
    Map<String, RoomLeave> first = new TreeMap<>();
    leaves.stream().sorted(java.util.Comparator.comparingLong(RoomLeave::at))
        .forEach(l -> first.putIfAbsent(l.session() + " " + l.room(), l));
    int falseEvictions = 0;
    List<String> examples = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    for (RoomLeave leave : first.values()) {
      List<HistoryEvent> events = bySession.get(leave.session());
      if (events == null) {
        continue;
      }
      HistoryEvent opened = events.get(0);
      boolean excepted = faultedPorts.contains(opened.port())
          || events.stream().anyMatch(e -> e.type() == EventType.CLIENT_KILLED || e.type() == EventType.CLIENT_STOPPED);
      boolean excused = events.stream().anyMatch(e -> e.type() == EventType.CLOSED
          || e.type().isClientAction() && e.at() <= leave.at());
      if (excepted || excused) {
        reasons.merge(leave.reason(), 1, Integer::sum);
      } else {
        falseEvictions++;
        if (examples.size() < 10) {
          examples.add(opened.user() + " on port " + opened.port() + " (" + opened.client() + "): left " + leave.room()
              + " (" + leave.reason() + ") as seen on port " + leave.watcherPort());
        }
      }
    }
    return new Verdict(falseEvictions, examples, reasons);
  }

  private static String whatItWasTold(HistoryEvent e) {
    return switch (e.type()) {
      case CLOSED -> "close " + e.code();
      case NICK_LOST -> "nick.lost";
      default -> null;
    };
  }
}
