package dev.presence.faults;

import dev.presence.testing.PresenceHttp;
import dev.presence.testing.WatchedRoom;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * The rooms of one scenario and their watchers (issue #13, "Truth under failure"): {@value #ROOMS} shared rooms
 * named after the scenario ({@code #f5-0}...), which the scenario's sessions join on every node
 * ({@link #roomsOf}), and {@value #WATCHERS_PER_NODE} watcher sessions on every node of the cluster, each watching
 * every room ({@link RoomWatcher}). It measures, for the {@link GhostWatch}, when a faulted member left every surviving
 * watcher's view, and checks that the views converge on the store ({@code GET /rooms/{room}}, read on a surviving
 * node) within {@link RoomFigures#CONVERGENCE_BOUND_MS} of a fault's end.
 *
 * <p>Threads: created, checked and closed on the scenario thread; watchers fold on client event loops;
 * {@link #joined} may be called from any thread.
 */
final class RoomWatch implements AutoCloseable {

  static final int ROOMS = 3;
  static final int WATCHERS_PER_NODE = 2;
  private static final Duration POLL = Duration.ofMillis(100);
  /** How long a check keeps looking past the bound, to report how late a slow convergence was. */
  private static final Duration DIAGNOSIS = Duration.ofSeconds(8);

  private final List<String> rooms;
  private final List<RoomWatcher> watchers;
  private final Set<String> members = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<RoomFigures.Convergence> checks = new CopyOnWriteArrayList<>();

  private RoomWatch(List<String> rooms, List<RoomWatcher> watchers) {
    this.rooms = rooms;
    this.watchers = watchers;
  }

  /**
   * A watch of no rooms with no watchers, for a run with {@code -Dfaults.rooms=off} (diagnosis: the suite as it was
   * before rooms, e.g. to measure what the room checks cost): sessions join nothing, nothing is measured.
   */
  static RoomWatch none() {
    return new RoomWatch(List.of(), List.of());
  }

  /** The five-node scenarios (machine lost, scaled split), which run without rooms. */
  private static final java.util.Set<String> WITHOUT_ROOMS = java.util.Set.of("13", "14");

  /**
   * @param scenario the scenario's number
   * @return false when the run leaves rooms out ({@code -Dfaults.rooms=off}), and for the five-node scenarios: five
   *     nodes share two cores there and their three survivors are exactly the quorum, so the room watchers' extra load
   *     made a survivor miss its peers' heartbeats and self-fence (a CI run on 2026-12-04: six {@code nick.lost} on a
   *     healthy node). The fault list (client kill -9, SIGSTOP, RST, churn, node kill -9, pause, drain,
   *     partition) is covered by scenarios 1 to 12.
   */
  static boolean enabled(String scenario) {
    return !"off".equals(System.getProperty("faults.rooms")) && !WITHOUT_ROOMS.contains(scenario);
  }

  /**
   * Starts the watchers on every node of {@code ports} and waits (bounded) for their snapshots.
   *
   * @param scenario the scenario's number, which names its rooms
   */
  static RoomWatch start(HarnessClients clients, String scenario, List<Integer> ports) {
    List<String> rooms = IntStream.range(0, ROOMS).mapToObj(i -> "#f" + scenario + "-" + i).toList();
    List<Future<RoomWatcher>> started = new ArrayList<>();
    for (int port : ports) {
      for (int w = 0; w < WATCHERS_PER_NODE; w++) {
        started.add(RoomWatcher.start(clients, port, "f" + scenario + "-watcher-" + port + "-" + w, rooms));
      }
    }
    HarnessClients.await(Future.all(started));
    return new RoomWatch(rooms, started.stream().map(Future::result).toList());
  }

  /**
   * The rooms the {@code i}-th session of a group joins (one home for the rule, used in the harness and in client
   * processes): room {@code i mod n}, and every other session the next room too, so some members end in two rooms.
   */
  static List<String> roomsOf(List<String> rooms, int i) {
    if (rooms.isEmpty()) {
      return List.of();
    }
    String first = rooms.get(i % rooms.size());
    String second = rooms.get((i + 1) % rooms.size());
    return i % 2 == 0 && !second.equals(first) ? List.of(first, second) : List.of(first);
  }

  /** @return the scenario's rooms */
  List<String> rooms() {
    return rooms;
  }

  /** Notes that {@code session} joined its rooms (answered {@code joined}): its room leaves are measured. */
  void joined(String session) {
    if (!rooms.isEmpty()) { // a watch of no rooms (-Dfaults.rooms=off) has no members
      members.add(session);
    }
  }

  /** @return true if {@code session} joined rooms */
  boolean isMember(String session) {
    return members.contains(session);
  }

  /**
   * @param faultAt   faulted sessions → epoch ms of the fault
   * @param survivors HTTP ports whose live watchers must all have seen the leave
   * @return per faulted member, epoch ms from which no live watcher on {@code survivors} listed it in any room
   */
  Map<String, Long> goneAt(Map<String, Long> faultAt, List<Integer> survivors) {
    List<RoomWatcher> judges = live(survivors);
    Map<String, Long> gone = new HashMap<>();
    faultAt.forEach((session, fault) -> {
      if (!isMember(session)) {
        return;
      }
      long latest = fault;
      for (RoomWatcher w : judges) {
        Long since = w.goneSince(session);
        if (since == null) {
          return;
        }
        latest = Math.max(latest, since);
      }
      gone.put(session, latest);
    });
    return gone;
  }

  /** @return per member, the reason of the first room leave a watcher saw */
  Map<String, String> leaveReasons() {
    Map<String, String> reasons = new HashMap<>();
    leaves().stream().sorted(java.util.Comparator.comparingLong(RoomLeave::at))
        .forEach(l -> reasons.putIfAbsent(l.session(), l.reason()));
    return reasons;
  }

  /** @return every room leave any watcher saw */
  List<RoomLeave> leaves() {
    List<RoomLeave> all = new ArrayList<>();
    watchers.forEach(w -> all.addAll(w.leaves()));
    return all;
  }

  private List<RoomWatcher> live(List<Integer> ports) {
    return watchers.stream().filter(w -> !w.isClosed() && ports.contains(w.port())).toList();
  }

  /**
   * A fault has ended: waits until every live watcher on {@code ports} has a view of every room equal to the store's
   * members (read on {@code ports}' first node), with no gap awaiting its snapshot; records how long it took.
   *
   * @param checkpoint what ended, for the report
   * @return the check
   */
  RoomFigures.Convergence awaitConverged(String checkpoint, List<Integer> ports) {
    long started = System.currentTimeMillis();
    List<RoomWatcher> judges = live(ports);
    String difference = "";
    String atBound = null;
    long ms = -1;
    while (System.currentTimeMillis() - started <= RoomFigures.CONVERGENCE_BOUND_MS + DIAGNOSIS.toMillis()) {
      difference = difference(judges, ports.get(0));
      long elapsed = System.currentTimeMillis() - started;
      if (difference.isEmpty()) {
        ms = elapsed;
        break;
      }
      if (atBound == null && elapsed > RoomFigures.CONVERGENCE_BOUND_MS) {
        atBound = difference;
      }
      sleep(POLL);
    }
    String detail = atBound != null ? atBound : ms < 0 ? difference : "";
    RoomFigures.Convergence check = new RoomFigures.Convergence(checkpoint, judges.size(), ms, detail);
    checks.add(check);
    if (!check.within()) {
      System.out.println("[faults] room views did not converge within " + RoomFigures.CONVERGENCE_BOUND_MS
          + " ms after " + checkpoint + ": " + check);
    }
    return check;
  }

  /** @return the first difference between a watcher's view and the store, or "" if there is none */
  private String difference(List<RoomWatcher> judges, int storePort) {
    for (String room : rooms) {
      Set<String> store;
      try {
        store = storeMembers(storePort, room);
      } catch (RuntimeException e) {
        return "store unreadable on " + storePort + ": " + e.getMessage();
      }
      for (RoomWatcher w : judges) {
        if (w.isClosed()) {
          continue;
        }
        if (w.stale(room)) {
          return "watcher on " + w.port() + " awaits a snapshot of " + room;
        }
        Set<String> view = new TreeSet<>(w.view(room).sessions());
        if (!view.equals(store)) {
          Set<String> extra = new TreeSet<>(view);
          extra.removeAll(store);
          Set<String> missing = new TreeSet<>(store);
          missing.removeAll(view);
          return "watcher on " + w.port() + ", " + room + ": " + extra.size() + " not in the store " + head(extra)
              + ", " + missing.size() + " missing " + head(missing);
        }
      }
    }
    return "";
  }

  private static String head(Set<String> ids) {
    return ids.stream().limit(3).toList().toString();
  }

  /** @return the room's member sessions as the store lists them ({@code GET /rooms/{room}}, every page) */
  static Set<String> storeMembers(int httpPort, String room) {
    return storeRoomNicks(httpPort, room).keySet();
  }

  /**
   * @return the room's member sessions as the store lists them ({@code GET /rooms/{room}}, every page), each with its
   *     room nickname ({@code ""} for none)
   */
  static Map<String, String> storeRoomNicks(int httpPort, String room) {
    Map<String, String> ids = new HashMap<>();
    String after = null;
    String path = "/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "?limit=1000";
    do {
      PresenceHttp.Response r = PresenceHttp.get(AdminPorts.of(httpPort), path
          + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
      if (r.status() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + r.status() + " " + r.body());
      }
      r.body().getJsonArray("members").forEach(o -> {
        JsonObject m = (JsonObject) o;
        ids.put(m.getString("session"), m.getString("roomNick") == null ? "" : m.getString("roomNick"));
      });
      after = r.body().getString("next");
    } while (after != null);
    return ids;
  }

  /**
   * @param falseEvictions the room checker's verdict on {@link #leaves()}
   * @return the figures of the report
   */
  RoomFigures figures(FalseEvictionChecker.Verdict falseEvictions) {
    int gaps = 0;
    int unresolved = 0;
    int matched = 0;
    int mismatched = 0;
    for (RoomWatcher w : watchers) {
      for (String room : rooms) {
        WatchedRoom view = w.view(room);
        gaps += view.gaps();
        matched += view.digestsMatched();
        mismatched += view.digestMismatches();
        unresolved += !w.isClosed() && w.stale(room) ? 1 : 0;
      }
    }
    int corrections = (int) leaves().stream().filter(l -> "gone".equals(l.reason())).count();
    return new RoomFigures(rooms, watchers.size(), members.size(), List.copyOf(checks), gaps, unresolved, matched,
        mismatched, corrections, falseEvictions.falseEvictions(), falseEvictions.faultedTold(),
        falseEvictions.examples());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Closes every watcher's socket. */
  @Override
  public void close() {
    watchers.forEach(RoomWatcher::close);
  }
}
