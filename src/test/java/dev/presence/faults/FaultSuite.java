package dev.presence.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-process fault-injection suite: 3 node processes of the packaged jar, every fault scenario
 * in turn (the cluster is reused and completed again after a node fault), then a separate cluster on
 * loopback aliases for the network partition. Writes {@code report.json} and {@code report.md} and prints
 * the table.
 *
 * <p>Run through failsafe ({@link FaultSuiteIT}) or directly:
 * {@code java -cp <test classpath> dev.presence.faults.FaultSuite --size ci|full --out target/fault-report}.
 */
public final class FaultSuite {

  private FaultSuite() {
  }

  /**
   * @param args {@code --size ci|full}, {@code --out DIR}, {@code --jar PATH}, {@code --scenarios 1,6,8} (a subset,
   *             for diagnosis; the default runs all)
   */
  public static void main(String[] args) {
    Map<String, String> options = options(args);
    FaultReport report = run(FaultSize.named(options.getOrDefault("--size", "ci")),
        Path.of(options.getOrDefault("--out", "target/fault-report")),
        Path.of(options.getOrDefault("--jar", "target/presence-node.jar")),
        options.getOrDefault("--scenarios", "1,2,3,4,5,6,7,8,9"));
    System.exit(report.passed() ? 0 : 1);
  }

  /**
   * Runs every scenario and writes the report.
   *
   * @param size CI or FULL counts
   * @param out  report directory (node and client logs go to {@code out/logs})
   * @param jar  the packaged node
   * @return the report (also written and printed)
   */
  public static FaultReport run(FaultSize size, Path out, Path jar) {
    return run(size, out, jar, "1,2,3,4,5,6,7,8,9");
  }

  /** As {@link #run(FaultSize, Path, Path)}, only the scenarios numbered in {@code only} ("1,6,8"). */
  public static FaultReport run(FaultSize size, Path out, Path jar, String only) {
    java.util.Set<String> chosen = java.util.Set.of(only.split(","));
    FaultTimings timings = FaultTimings.DEFAULTS;
    Path logs = out.resolve("logs");
    long started = System.currentTimeMillis();
    List<ScenarioResult> results = new ArrayList<>();
    try (HarnessClients clients = new HarnessClients()) {
      ScenarioRunner runner = new ScenarioRunner(clients, size, timings, logs);
      try (JarCluster cluster = JarCluster.start(jar, logs, List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"), timings)) {
        for (Scenario scenario : List.of(new ClientProcessKilled(), new ClientProcessFrozen(), new ConnectionsReset(),
            new MassChurn(), new NodeKilled(), new NodePaused(), new NodeDrained(), new HealedSplit())) {
          if (chosen.contains(scenario.name().substring(0, 1))) {
            results.add(runner.run(scenario, cluster));
          }
        }
      }
      if (chosen.contains("8")) {
        results.add(partition(runner, jar, logs, timings));
      }
    } finally {
      ProcessReaper.killAll();
    }
    FaultReport report = new FaultReport(size.name(), System.currentTimeMillis() - started, results);
    report.write(out);
    System.out.println(report.table());
    return report;
  }

  private static ScenarioResult partition(ScenarioRunner runner, Path jar, Path logs, FaultTimings timings) {
    NetworkPartition scenario = new NetworkPartition();
    String unavailable = LoopbackPartition.unavailableReason();
    if (unavailable != null) {
      return ScenarioResult.skipped(scenario.name(), unavailable + "; split brain is covered by scenario 6");
    }
    try (LoopbackAliases aliases = LoopbackAliases.ensure(NetworkPartition.HOSTS)) {
      JarCluster cluster;
      try {
        cluster = JarCluster.start(jar, logs, NetworkPartition.HOSTS, timings);
      } catch (RuntimeException e) {
        return ScenarioResult.skipped(scenario.name(), "no cluster on " + NetworkPartition.HOSTS + ": "
            + firstLine(e.getMessage()) + "; split brain is covered by scenario 6");
      }
      try (cluster) {
        return runner.run(scenario, cluster);
      }
    } catch (RuntimeException e) {
      return ScenarioResult.skipped(scenario.name(), "no loopback aliases " + NetworkPartition.HOSTS + ": "
          + firstLine(e.getMessage()) + "; split brain is covered by scenario 6");
    }
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  /** @return {@code --name value} pairs */
  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }
}
