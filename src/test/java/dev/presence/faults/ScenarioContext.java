package dev.presence.faults;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * What a scenario works with (the cluster, the clients, a fresh history) and what it declares for the
 * checkers: the nodes it faulted or stopped on purpose, close codes it causes on healthy sessions, error
 * log lines it expects, its ghost windows and its facts. Scenario thread only.
 */
public final class ScenarioContext {

  private final JarCluster cluster;
  private final HarnessClients clients;
  private final FaultSize size;
  private final FaultTimings timings;
  private final Path logDir;
  private final History history = new History();
  private final List<TrackedSession> sessions = new ArrayList<>();
  private final List<ClientProcess> processes = new ArrayList<>();
  final Set<Integer> faultedPorts = new HashSet<>();
  final Set<Integer> expectedCloseCodes = new HashSet<>();
  final List<Pattern> expectedErrors = new ArrayList<>();
  final List<GhostStats> ghosts = new ArrayList<>();
  final Map<String, Object> facts = new LinkedHashMap<>();
  final List<String> violations = new ArrayList<>();
  private final String number;
  private RoomWatch rooms;
  private final Map<String, Integer> roomJoinsRefused = new java.util.TreeMap<>();

  ScenarioContext(JarCluster cluster, HarnessClients clients, FaultSize size, FaultTimings timings, Path logDir,
      String number) {
    this.number = number;
    this.cluster = cluster;
    this.clients = clients;
    this.size = size;
    this.timings = timings;
    this.logDir = logDir;
  }

  /** @return the cluster under test */
  public JarCluster cluster() {
    return cluster;
  }

  /** @return how clients reach the nodes: plain or TLS */
  public NodeListener listener() {
    return cluster.listener();
  }

  /** @return this scenario's history */
  public History history() {
    return history;
  }

  /** @return the run's size */
  public FaultSize size() {
    return size;
  }

  /** @return the nodes' heartbeat settings */
  public FaultTimings timings() {
    return timings;
  }

  /** @return the in-harness clients */
  public HarnessClients clients() {
    return clients;
  }

  /**
   * Opens {@code count} sessions round robin over {@code ports}: users {@code <prefix>-u<i>}, nicknames
   * {@code <prefix>N<i>} (or none), and waits for every welcome; each joins its rooms, claiming its nickname there as
   * its room nickname too (so room nicknames are contested and judged like global ones).
   */
  public List<TrackedSession> openSessions(String prefix, int count, List<Integer> ports, boolean withNicks) {
    List<String> users = IntStream.range(0, count).mapToObj(i -> prefix + "-u" + i).toList();
    List<String> nicks = IntStream.range(0, count).mapToObj(i -> withNicks ? prefix + "N" + i : null).toList();
    List<TrackedSession> opened = clients.openAll(ports, users, nicks, history);
    sessions.addAll(opened);
    joinRooms(opened, nicks);
    return opened;
  }

  /**
   * The scenario's rooms and their watchers (issue #13), started on every node of the cluster at the first call
   * (a scenario that scales its cluster out first gets watchers on every node).
   */
  public RoomWatch rooms() {
    if (rooms == null) {
      rooms = RoomWatch.enabled(number) ? RoomWatch.start(clients, number, cluster.ports()) : RoomWatch.none();
    }
    return rooms;
  }

  /** @return the scenario's room watch if one was started, else {@code null} */
  RoomWatch roomsIfStarted() {
    return rooms == null || rooms.rooms().isEmpty() ? null : rooms;
  }

  /**
   * Each of {@code opened} joins its rooms ({@link RoomWatch#roomsOf}, without watching) with its nickname as room
   * nickname (none if {@code nicks} has {@code null}) and waits for the answers; a refusal is counted in the facts and
   * fails the scenario.
   */
  private void joinRooms(List<TrackedSession> opened, List<String> nicks) {
    List<String> names = rooms().rooms();
    List<io.vertx.core.Future<JsonObject>> answers = new ArrayList<>();
    List<TrackedSession> asked = new ArrayList<>();
    for (int i = 0; i < opened.size(); i++) {
      for (String room : RoomWatch.roomsOf(names, i)) {
        answers.add(opened.get(i).join(room, nicks.get(i)));
        asked.add(opened.get(i));
      }
    }
    HarnessClients.await(io.vertx.core.Future.join(answers).recover(e -> io.vertx.core.Future.succeededFuture()));
    Set<TrackedSession> refused = new HashSet<>();
    for (int i = 0; i < answers.size(); i++) {
      io.vertx.core.Future<JsonObject> answer = answers.get(i);
      String outcome = answer.succeeded() ? answer.result().getString("type") : "no answer";
      if (!"joined".equals(outcome)) {
        refused.add(asked.get(i));
        roomJoinsRefused.merge(answer.succeeded() ? answer.result().getString("code") : outcome, 1, Integer::sum);
      }
    }
    opened.stream().filter(s -> !refused.contains(s)).forEach(s -> rooms.joined(s.session()));
    if (!roomJoinsRefused.isEmpty()) {
      fact("room joins refused", Map.copyOf(roomJoinsRefused));
      require("every room join is answered joined", false);
    }
  }

  /**
   * A ghost watch of {@code survivors} (as the cluster's listener says) that also measures the scenario's room views.
   */
  public GhostWatch ghostWatch(List<Integer> survivors) {
    return new GhostWatch(listener(), survivors, rooms());
  }

  /** Opens one session (waits for its welcome); closed at the scenario's end. */
  public TrackedSession open(int port, String user, String nick) {
    TrackedSession session = clients.open(port, user, nick, history);
    sessions.add(session);
    return session;
  }

  /** Adopts a session opened elsewhere, so it is closed at the scenario's end. */
  public void adopt(TrackedSession session) {
    synchronized (sessions) {
      sessions.add(session);
    }
  }

  /** Starts a client process with {@code count} sessions round robin over {@code ports}. */
  public ClientProcess startClientProcess(List<Integer> ports, int count, String prefix) {
    ClientProcess process = ClientProcess.start(cluster.listener(), ports, count, prefix, rooms().rooms(), history,
        logDir);
    processes.add(process);
    process.sessions().forEach(rooms::joined);
    return process;
  }

  /** Waits (bounded) until every node of {@code ports} lists every one of {@code ids} in /presence. */
  public void awaitListed(Set<String> ids, List<Integer> ports) {
    Awaitility.await("sessions listed on every node").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ports.stream().allMatch(p -> cluster.listener().sessions(p).containsAll(ids)));
  }

  /** Declares the node on {@code port} faulted: its sessions are excepted from the false-eviction check. */
  public void faulted(int port) {
    faultedPorts.add(port);
  }

  /** Declares a close code the scenario causes on healthy sessions. */
  public void expectCloseCode(int code) {
    expectedCloseCodes.add(code);
  }

  /** Declares an ERROR log line the scenario causes (a regular expression matched against the whole line). */
  public void expectErrorLine(String regex) {
    expectedErrors.add(Pattern.compile(regex));
  }

  /** Adds ghost-window measurements (one per view: presence API, presence.events). */
  public void ghost(List<GhostStats> stats) {
    ghosts.addAll(stats);
  }

  /** Records a scenario-specific promise that did not hold (fails the scenario), e.g. "every client told 1001". */
  public void require(String promise, boolean holds) {
    if (!holds) {
      violations.add(promise);
    }
  }

  /** Adds a fact to the report. */
  public void fact(String name, Object value) {
    facts.put(name, value);
  }

  /** Closes the room watchers (before the clients, whose closes are no fault). */
  void closeRooms() {
    if (rooms != null) {
      rooms.close();
    }
  }

  /** Closes every session and stops every client process it opened. */
  void closeClients() {
    List<TrackedSession> open;
    synchronized (sessions) {
      open = List.copyOf(sessions);
    }
    HarnessClients.closeAll(open.stream().filter(s -> !s.isClosed()).toList());
    processes.forEach(ClientProcess::close);
  }

  /** @return session ids of the given sessions */
  public static Set<String> ids(List<TrackedSession> sessions) {
    Set<String> ids = new HashSet<>();
    sessions.forEach(s -> ids.add(s.session()));
    return ids;
  }
}
