package dev.presence.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario against a cluster and turns its history into a {@link ScenarioResult}: uniqueness,
 * false evictions, ghost windows and crashes. Whatever the scenario did, its clients are closed and the
 * cluster is made complete again afterwards.
 */
final class ScenarioRunner {

  private final HarnessClients clients;
  private final FaultSize size;
  private final FaultTimings timings;
  private final Path logDir;

  ScenarioRunner(HarnessClients clients, FaultSize size, FaultTimings timings, Path logDir) {
    this.clients = clients;
    this.size = size;
    this.timings = timings;
    this.logDir = logDir;
  }

  ScenarioResult run(Scenario scenario, JarCluster cluster) {
    System.out.println("[faults] scenario: " + scenario.name());
    cluster.markLogs();
    ScenarioContext context = new ScenarioContext(cluster, clients, size, timings, logDir,
        Scenario.number(scenario.name()));
    long started = System.currentTimeMillis();
    String failure = null;
    try {
      scenario.run(context);
      finalRoomViews(cluster, context);
    } catch (Exception | AssertionError e) {
      failure = e.toString();
      e.printStackTrace(System.out);
    } finally {
      context.closeRooms();
      context.closeClients();
    }
    long duration = System.currentTimeMillis() - started;
    writeHistory(scenario.name(), context.history());
    if (!context.violations.isEmpty()) {
      failure = (failure == null ? "" : failure + "; ") + "broken promises: " + context.violations;
    }
    List<String> crashes = crashes(cluster, context);
    healIfNeeded(cluster);
    return verdict(scenario.name(), context, failure, duration, crashes);
  }

  /**
   * The scenario's faults are over (it healed what it split or paused): every live room watcher's final view of every
   * room must equal the store's, read on a running node, within the convergence bound (issue #13).
   */
  private static void finalRoomViews(JarCluster cluster, ScenarioContext context) {
    RoomWatch rooms = context.roomsIfStarted();
    List<Integer> running = cluster.nodes().stream().filter(n -> n.isAlive() && !n.isPaused())
        .map(JarNode::httpPort).toList();
    if (rooms != null && !running.isEmpty()) {
      rooms.awaitConverged("the scenario's end (final views)", running);
    }
  }

  private ScenarioResult verdict(String name, ScenarioContext context, String failure, long duration,
      List<String> crashes) {
    History history = context.history();
    RoomWatch rooms = context.roomsIfStarted();
    RoomFigures roomFigures = rooms == null ? null : rooms.figures(
        FalseEvictionChecker.checkRooms(history, context.faultedPorts, rooms.leaves()));
    UniquenessChecker.Verdict unique = UniquenessChecker.check(history, timings.timeoutMs());
    FalseEvictionChecker.Verdict evictions =
        FalseEvictionChecker.check(history, context.faultedPorts, context.expectedCloseCodes);
    List<String> examples = new ArrayList<>(unique.examples());
    Map<String, Object> facts = new java.util.LinkedHashMap<>(context.facts);
    if (unique.roomHoldings() > 0) {
      facts.put("room nickname holdings judged for uniqueness", unique.roomHoldings());
    }
    examples.addAll(evictions.examples());
    return new ScenarioResult(name, null, failure, duration, history.byClient().size(), history.size(),
        List.copyOf(context.ghosts), unique.duplicateOwners(), unique.sameUserOverlaps(), evictions.falseEvictions(),
        crashes, evictions.faultedTold(), Map.copyOf(facts), examples, roomFigures);
  }

  /** Keeps the raw history (one JSON event per line) beside the report, for diagnosis. */
  private void writeHistory(String name, History history) {
    try {
      java.nio.file.Files.createDirectories(logDir);
      java.nio.file.Files.write(logDir.resolve("history-" + Scenario.number(name) + ".jsonl"),
          history.events().stream().map(e -> e.toJson().encode()).toList());
    } catch (java.io.IOException e) {
      System.out.println("[faults] could not write the history of " + name + ": " + e);
    }
  }

  /** Nodes that should run but do not, and ERROR lines nobody expected, since the scenario began. */
  private static List<String> crashes(JarCluster cluster, ScenarioContext context) {
    List<String> crashes = new ArrayList<>();
    cluster.nodes().stream().filter(n -> !n.isAlive())
        .forEach(n -> crashes.add(n.spec().name() + " (port " + n.httpPort() + ") is not running"));
    cluster.errorLinesSinceMark().forEach((node, lines) -> lines.stream()
        .filter(line -> context.expectedErrors.stream().noneMatch(p -> p.matcher(line).matches()))
        .forEach(line -> crashes.add(node.spec().name() + ": " + line)));
    return crashes;
  }

  /** A node left dead, paused or out of the cluster is replaced, so the next scenario starts complete. */
  private static void healIfNeeded(JarCluster cluster) {
    List<Integer> dead = new ArrayList<>();
    for (int i = 0; i < cluster.nodes().size(); i++) {
      JarNode node = cluster.node(i);
      if (node.isPaused()) {
        node.resume();
      }
      if (!node.isAlive()) {
        dead.add(i);
      }
    }
    if (!dead.isEmpty()) {
      cluster.replace(dead); // together: the cluster is complete only once every one is back
    }
    if (!cluster.isComplete()) {
      try {
        cluster.awaitComplete(Duration.ofSeconds(30));
      } catch (IllegalStateException e) {
        for (int i = 0; i < cluster.nodes().size(); i++) {
          if (cluster.node(i).clusterSize() != cluster.nodes().size()) {
            cluster.replace(i);
          }
        }
      }
    }
  }
}
