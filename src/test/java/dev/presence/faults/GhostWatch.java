package dev.presence.faults;

import dev.presence.testing.BridgeClient;
import dev.presence.testing.RawWebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Measures ghost windows in the two views a user of the cluster has, on every surviving node:
 * <ul>
 *   <li>the presence API: one thread per node polls its {@code GET /presence} every ~50 ms and notes, for each
 *       watched session, the first answer that no longer lists it (the time the answer arrived: an upper
 *       bound, late by up to a poll period plus the query's time);</li>
 *   <li>{@code presence.events}: one SockJS bridge client per node ({@code /eventbus/websocket}) notes when the
 *       session's {@code leave} event reached that node's bridge.</li>
 * </ul>
 * A session is gone from a view when every surviving node stopped reporting it there. With the scenario's
 * {@link RoomWatch}, a third view is measured for the sessions that joined rooms: the room watchers' views (issue
 * #13), where a member is gone once no live watcher on a survivor lists it in any room; when the ghosts are gone, the
 * room views must also equal the store within {@link RoomFigures#CONVERGENCE_BOUND_MS}.
 */
public final class GhostWatch implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(15);
  private static final AtomicInteger PROBES = new AtomicInteger();

  private final NodeListener listener;
  private final List<Integer> survivors;
  private final Map<String, Long> faultAt = new ConcurrentHashMap<>();
  private final Map<Integer, Map<String, Long>> absentSince = new ConcurrentHashMap<>();
  private final Map<Integer, Map<String, Long>> leaveSeenAt = new ConcurrentHashMap<>();
  private final Map<Integer, Set<String>> joinsSeen = new ConcurrentHashMap<>();
  private final Map<String, String> leaveReasons = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final List<BridgeClient> bridges = new ArrayList<>();
  private final RoomWatch rooms;

  /**
   * Starts watching {@code survivors} (HTTP ports on 127.0.0.1); returns once every node's bridge receives
   * events (a probe session's join reached each one).
   */
  public GhostWatch(List<Integer> survivors) {
    this(NodeListener.PLAIN, survivors);
  }

  /** As {@link #GhostWatch(List)}, reaching the nodes as {@code listener} says (plain or TLS). */
  public GhostWatch(NodeListener listener, List<Integer> survivors) {
    this(listener, survivors, null);
  }

  /**
   * As {@link #GhostWatch(NodeListener, List)}, measuring also the room views of {@code rooms} (or none if
   * {@code null}); see {@link ScenarioContext#ghostWatch}.
   */
  public GhostWatch(NodeListener listener, List<Integer> survivors, RoomWatch rooms) {
    this.listener = listener;
    this.rooms = rooms;
    this.survivors = List.copyOf(survivors);
    for (int port : survivors) {
      absentSince.put(port, new ConcurrentHashMap<>());
      leaveSeenAt.put(port, new ConcurrentHashMap<>());
      joinsSeen.put(port, ConcurrentHashMap.newKeySet());
      start("ghost-poll-" + port, () -> poll(port));
      BridgeClient bridge = subscribe(port);
      start("ghost-events-" + port, () -> drain(port, bridge));
    }
    awaitEventsFlowing();
  }

  /** Watches {@code session} from its fault at {@code at} (epoch ms). */
  public void watch(String session, long at) {
    faultAt.put(session, at);
  }

  /** Watches every one of {@code sessions} from one fault at {@code at}. */
  public void watchAll(Set<String> sessions, long at) {
    sessions.forEach(s -> watch(s, at));
  }

  private void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private BridgeClient subscribe(int port) {
    try {
      BridgeClient bridge = listener.bridge(port);
      bridges.add(bridge);
      bridge.register("presence.events");
      return bridge;
    } catch (IOException e) {
      throw new UncheckedIOException("event bridge of node " + port, e);
    }
  }

  private void poll(int port) {
    Map<String, Long> absent = absentSince.get(port);
    while (running.get()) {
      long started = System.nanoTime();
      try {
        Set<String> listed = listener.sessions(port);
        long now = System.currentTimeMillis();
        faultAt.forEach((session, fault) -> {
          if (!listed.contains(session)) {
            absent.putIfAbsent(session, now);
          }
        });
      } catch (RuntimeException e) {
        // A node that does not answer now is retried at the next tick; the await's bound ends the watch.
      }
      long spent = (System.nanoTime() - started) / 1_000_000;
      if (spent < POLL.toMillis()) {
        try {
          Thread.sleep(POLL.toMillis() - spent);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void drain(int port, BridgeClient bridge) {
    Map<String, Long> leaves = leaveSeenAt.get(port);
    Set<String> joins = joinsSeen.get(port);
    while (running.get()) {
      try {
        BridgeClient.Received r = bridge.poll(Duration.ofMillis(200));
        if (r == null || !"rec".equals(r.frame().getString("type"))) {
          continue;
        }
        JsonObject event = r.frame().getJsonObject("body");
        String session = event.getString("session");
        if ("leave".equals(event.getString("event"))) {
          leaves.putIfAbsent(session, r.at());
          leaveReasons.putIfAbsent(session, String.valueOf(event.getString("reason")));
        } else if ("join".equals(event.getString("event"))) {
          joins.add(session);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Subscriptions spread through the cluster asynchronously, so events published right after {@code register}
   * may miss a bridge: for each survivor in turn, joins a probe session there until every bridge has seen it
   * (every node must know every bridge, since any survivor may publish a leave).
   */
  private void awaitEventsFlowing() {
    for (int port : survivors) {
      List<String> probes = new ArrayList<>();
      Awaitility.await("presence.events from node " + port + " reach every survivor's bridge")
          .atMost(SUBSCRIBE_WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            // A probe's join may arrive after this check: any earlier probe seen everywhere will do.
            String probe = probeSession(listener, port);
            if (probe != null) {
              probes.add(probe);
            }
            return probes.stream().anyMatch(p -> joinsSeen.values().stream().allMatch(seen -> seen.contains(p)));
          });
    }
  }

  /** Opens and ends (bye) one probe session; returns its id, or {@code null} if the node did not answer. */
  private static String probeSession(NodeListener listener, int port) {
    try (RawWebSocketClient probe = listener.connectRaw(port, "/ws", Duration.ofSeconds(5))) {
      probe.sendText(new JsonObject().put("type", "hello").put("user", "ghost-probe-" + PROBES.incrementAndGet())
          .encode());
      String session = probe.awaitType("welcome", Duration.ofSeconds(5)).getString("session");
      probe.sendText(new JsonObject().put("type", "bye").encode());
      return session;
    } catch (IOException e) {
      return null;
    }
  }

  /** @return per watched session, epoch ms from which every survivor stopped reporting it in {@code view} */
  private Map<String, Long> goneAt(Map<Integer, Map<String, Long>> view) {
    Map<String, Long> gone = new HashMap<>();
    for (String session : faultAt.keySet()) {
      long latest = 0;
      boolean everywhere = true;
      for (int port : survivors) {
        Long at = view.get(port).get(session);
        everywhere &= at != null;
        latest = at == null ? latest : Math.max(latest, at);
      }
      if (everywhere) {
        gone.put(session, latest);
      }
    }
    return gone;
  }

  /**
   * Waits (bounded) until every watched session is gone from every view on every survivor; returns either way. Then,
   * with rooms, checks that the survivors' room watchers converged on the store (recorded in the room figures).
   */
  public void awaitAllGone(Duration atMost) {
    try {
      Awaitility.await("ghosts gone").atMost(atMost).pollInterval(Duration.ofMillis(50))
          .until(() -> goneAt(absentSince).size() == faultAt.size() && goneAt(leaveSeenAt).size() == faultAt.size()
              && roomsGone());
    } catch (ConditionTimeoutException e) {
      // Reported as neverGone in the statistics, and asserted there.
    }
    if (rooms != null) {
      rooms.awaitConverged(faultAt.size() + " sessions' fault (ghosts gone, watchers on " + survivors + ")",
          survivors);
    }
  }

  private boolean roomsGone() {
    if (rooms == null) {
      return true;
    }
    Map<String, Long> faults = Map.copyOf(faultAt);
    long members = faults.keySet().stream().filter(rooms::isMember).count();
    return rooms.goneAt(faults, survivors).size() == members;
  }

  /** @return the ghost windows of everything watched so far: the presence API's, then presence.events' */
  public List<GhostStats> stats(String faultClass, Long boundMs) {
    return stats(faultClass, boundMs, null);
  }

  /**
   * @param boundMs asserted p99 bound (ms), or {@code null}
   * @param goalMs  reported p99 goal (ms), or {@code null}
   * @return the ghost windows of everything watched so far: the presence API's, then presence.events'
   */
  public List<GhostStats> stats(String faultClass, Long boundMs, Long goalMs) {
    Map<String, Long> faults = Map.copyOf(faultAt);
    List<GhostStats> stats = new ArrayList<>(List.of(
        GhostStats.of(faultClass + " · presence API", faults, goneAt(absentSince), boundMs, goalMs),
        GhostStats.of(faultClass + " · presence.events", faults, goneAt(leaveSeenAt), boundMs, goalMs)));
    if (rooms != null) {
      Map<String, Long> members = new HashMap<>();
      faults.forEach((session, at) -> {
        if (rooms.isMember(session)) {
          members.put(session, at);
        }
      });
      if (!members.isEmpty()) {
        stats.add(GhostStats.of(faultClass + " · room views", members, rooms.goneAt(members, survivors), boundMs,
            goalMs));
      }
    }
    return List.copyOf(stats);
  }

  /** @return per faulted room member, the reason of the first room leave a watcher saw (empty without rooms) */
  public Map<String, String> roomLeaveReasons() {
    if (rooms == null) {
      return Map.of();
    }
    Map<String, String> reasons = new HashMap<>(rooms.leaveReasons());
    reasons.keySet().retainAll(faultAt.keySet());
    return Map.copyOf(reasons);
  }

  /** @return per session whose {@code leave} reached a bridge, the reason the first one carried */
  public Map<String, String> leaveReasons() {
    return Map.copyOf(leaveReasons);
  }

  /** Stops the pollers and closes the bridges. */
  @Override
  public void close() {
    running.set(false);
    threads.forEach(Thread::interrupt);
    bridges.forEach(BridgeClient::close);
  }
}
