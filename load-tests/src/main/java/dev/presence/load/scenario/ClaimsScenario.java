package dev.presence.load.scenario;

import dev.presence.load.report.Chart;
import dev.presence.load.report.Figure;
import dev.presence.load.report.Fmt;
import dev.presence.load.report.Goal;
import dev.presence.load.report.ScenarioReport;
import dev.presence.load.report.Series;
import dev.presence.load.report.Table;
import dev.presence.load.run.Generators;
import dev.presence.load.run.Http;
import dev.presence.load.run.ProcStats;
import dev.presence.load.run.RunContext;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.ServerKind;
import dev.presence.load.run.ServerProcess;
import dev.presence.load.stats.GcPauses;
import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code claims}: nickname claims, changes and releases across a two-node cluster at increasing offered
 * rates, a few hot nicknames contended by many users on both nodes. Ours only: the bare server has no
 * nicknames. After each step both nodes must name the same holder for every hot nickname.
 */
final class ClaimsScenario implements Scenario {

  /**
   * @param nodes           cluster members
   * @param sessions        sessions (half on each node), each one user
   * @param rates           offered nickname requests per second, ascending
   * @param stepSeconds     length of a step, s
   * @param hotNicks        how many hot nicknames
   * @param hotFraction     share of requests that claim a hot nickname
   * @param releaseFraction share of requests that release (when the session holds one)
   * @param p99BoundMs      claim latency bound of a sustained step, ms
   */
  record Params(int nodes, int sessions, List<Integer> rates, int stepSeconds, int hotNicks, double hotFraction,
      double releaseFraction, double p99BoundMs) {
  }

  /** One step: all requests judged as a rate step (latency: claims), claims and releases per second apart. */
  private record ClaimStep(RateStep claims, double claimsPerSecond, double releasesPerSecond, Percentiles release,
      JsonObject outcomes, long skipped, double storeOpsPerSec, GcPauses gc) {
  }

  @Override
  public String name() {
    return "claims";
  }

  @Override
  public String title() {
    return "nickname claims, changes and releases across two nodes, with hot nicknames";
  }

  static Params params(Size size) {
    return size == Size.SMOKE ? new Params(2, 100, List.of(100, 300), 2, 3, 0.05, 0.3, 25)
        : new Params(2, 2000, List.of(1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10_000), 8, 5, 0.05, 0.3, 25);
  }

  @Override
  public void run(RunContext run, ScenarioReport report) {
    Params p = params(run.size());
    report.parameter("nodes", p.nodes()).parameter("sessions", p.sessions()).parameter("offeredRequestRates", p.rates())
        .parameter("stepSeconds", p.stepSeconds()).parameter("hotNicks", p.hotNicks())
        .parameter("hotFraction", p.hotFraction()).parameter("releaseFraction", p.releaseFraction());
    List<ClaimStep> steps = new ArrayList<>();
    long startMs = System.currentTimeMillis();
    try (ServerFleet fleet = ServerFleet.start(run, ServerKind.OURS, p.nodes(), "claims",
        ServerFleet.DEFAULT_HEARTBEAT_MS);
        Generators generators = Generators.start(run, 1, "claims")) {
      Ramp.connect(fleet, generators, i -> Generators.command("connect").put("endpoints", fleet.endpoints())
          .put("count", p.sessions()).put("nick", false).put("maxInFlight", 100));
      // Unreported warm-up at the first rate: the first claims on fresh JVMs run interpreted code and
      // create Hazelcast's partition containers; they would be measured as the first step's p99 otherwise.
      step(fleet, generators, p.rates().get(0), p);
      for (int rate : p.rates()) {
        ClaimStep step = step(fleet, generators, rate, p);
        steps.add(step);
        hotNicksAgree(report, fleet, p, rate);
        if (RateStep.shouldStop(steps.stream().map(ClaimStep::claims).toList(), p.p99BoundMs())) {
          break;
        }
      }
    }
    List<RateStep> claimSteps = steps.stream().map(ClaimStep::claims).toList();
    double sustained = 0;
    ClaimStep best = steps.isEmpty() ? null : steps.get(0);
    for (ClaimStep s : steps) {
      if (s.claims().sustained(p.p99BoundMs()) && s.claimsPerSecond() > sustained) {
        sustained = s.claimsPerSecond();
        best = s;
      }
    }
    report.figure(Figure.oursOnly("sustained claims (p99 ≤ " + Fmt.num(p.p99BoundMs()) + " ms)", "/s", sustained,
        Goal.atLeast(5000, "≥ 5,000/s across two nodes"), "claim answers per second in the highest sustained step"));
    if (best != null) {
      report.figure(Figure.oursOnly("claim latency p50 at " + Fmt.num(best.claims().offered()) + " requests/s", "ms",
          best.claims().latency().p50(), null, null));
      report.figure(Figure.oursOnly("claim latency p99 at " + Fmt.num(best.claims().offered()) + " requests/s", "ms",
          best.claims().latency().p99(), Goal.atMost(p.p99BoundMs(), "≤ 25 ms"), null));
      report.figure(Figure.oursOnly("release latency p99 at " + Fmt.num(best.claims().offered()) + " requests/s",
          "ms", best.release().p99(), null, null));
      report.figure(Figure.oursOnly("Hazelcast operations at that step", "/s", best.storeOpsPerSec(), null,
          "presence_store_operations_total; n/a if this build does not export it"));
    }
    Table table = Table.of("Steps (ours)", "offered requests/s", "claims/s", "releases/s", "claim p50 ms",
        "claim p99 ms", "claim max ms", "release p99 ms", "skipped", "outcomes", "nodes CPU %", "generator CPU %",
        "GC pauses", "longest GC pause ms");
    for (ClaimStep s : steps) {
      table.add(Fmt.num(s.claims().offered()), Fmt.num(s.claimsPerSecond()), Fmt.num(s.releasesPerSecond()),
          Fmt.num(s.claims().latency().p50()), Fmt.num(s.claims().latency().p99()), Fmt.num(s.claims().latency().max()),
          Fmt.num(s.release().p99()), String.valueOf(s.skipped()), s.outcomes().encode(),
          Fmt.num(s.claims().serverCpuPercent()), Fmt.num(s.claims().generatorCpuPercent()),
          String.valueOf(s.gc().count()), Fmt.num(s.gc().maxMs()));
    }
    report.table(table);
    report.chart(new Chart("Claim latency by offered request rate", "offered requests/s", "ms", List.of(
        new Series("p50", claimSteps.stream().map(s -> new double[] {s.offered(), s.latency().p50()}).toList()),
        new Series("p99", claimSteps.stream().map(s -> new double[] {s.offered(), s.latency().p99()}).toList()))));
    report.chart(perSecond(run, startMs));
    report.sanity("claims answered", !steps.isEmpty() && steps.get(0).claims().latency().count() > 0,
        steps.isEmpty() ? "no step" : steps.get(0).claims().latency().count() + " claim answers in the first step");
    report.note("Stepping stops after two unsustained steps in a row. A step is sustained when the requests "
        + "(claims and releases) answered within the step reach 95 % of those offered and claim p99 ≤ "
        + Fmt.num(p.p99BoundMs()) + " ms. Each session has at most one request outstanding; when none is idle the "
        + "request is skipped (counted), never queued. nick_taken answers are claims too (contention).");
  }

  private static ClaimStep step(ServerFleet fleet, Generators generators, int rate, Params p) {
    double serverCpu = cpu(fleet);
    double generatorCpu = generatorCpu(generators);
    double opsBefore = fleet.metricSum("presence_store_operations_total", Map.of());
    long start = System.nanoTime();
    long startMs = System.currentTimeMillis();
    JsonObject done = generators.all(i -> Generators.command("claims").put("rate", rate)
        .put("durationMs", p.stepSeconds() * 1000L).put("hotNicks", p.hotNicks()).put("hotFraction", p.hotFraction())
        .put("releaseFraction", p.releaseFraction()), p.stepSeconds() * 1000L + 30_000).get(0);
    double wall = Math.max(p.stepSeconds(), (System.nanoTime() - start) / 1e9);
    double seconds = p.stepSeconds();
    long claimsInWindow = done.getLong("claimsInWindow");
    long releasesInWindow = done.getLong("releasesInWindow");
    // The step is judged on all requests (claims and releases) answered within it against those offered;
    // its latency is the claims'.
    RateStep requests = new RateStep(rate, done.getLong("sent") / seconds,
        (claimsInWindow + releasesInWindow) / seconds, Percentiles.ofMicros(Histograms.decode(done.getString("claim"))),
        100 * (cpu(fleet) - serverCpu) / wall, 100 * (generatorCpu(generators) - generatorCpu) / wall);
    double opsPerSec = (fleet.metricSum("presence_store_operations_total", Map.of()) - opsBefore) / wall;
    return new ClaimStep(requests, claimsInWindow / seconds, releasesInWindow / seconds,
        Percentiles.ofMicros(Histograms.decode(done.getString("release"))), done.getJsonObject("outcomes"),
        done.getLong("skipped"), opsPerSec, fleet.gcPauses(startMs, System.currentTimeMillis()));
  }

  /** @return p50/p99/max of nickname requests per second over the whole scenario */
  private static Chart perSecond(RunContext run, long fromMs) {
    java.util.TreeMap<Long, Percentiles> perSecond = run.statusLog().perSecond("request", fromMs,
        System.currentTimeMillis());
    List<Series> series = new ArrayList<>();
    for (String name : List.of("p50", "p99", "max")) {
      List<double[]> points = new ArrayList<>();
      perSecond.forEach((second, p) -> points.add(new double[] {second,
          name.equals("p50") ? p.p50() : name.equals("p99") ? p.p99() : p.max()}));
      series.add(new Series(name, points));
    }
    return new Chart("Nickname request latency per second (warm-up and every step)", "s since the scenario started",
        "ms", series);
  }

  private static double generatorCpu(Generators generators) {
    return generators.processes().stream().mapToDouble(g -> ProcStats.cpuSeconds(g.process().pid())).sum();
  }

  /** Both nodes must report the same holder (or both none) for every hot nickname after a step. */
  private static void hotNicksAgree(ScenarioReport report, ServerFleet fleet, Params p, int rate) {
    List<String> disagreements = new ArrayList<>();
    for (int k = 0; k < p.hotNicks(); k++) {
      String views = null;
      for (ServerProcess server : fleet.servers()) {
        Http.Response r = Http.get(server.adminPort(), "/nicknames/hot" + k, 5000);
        String view = r.status() == 200 ? new JsonObject(r.body()).getString("session") : "status " + r.status();
        if (views != null && !views.equals(view)) {
          disagreements.add("hot" + k + ": " + views + " vs " + view);
        }
        views = view;
      }
    }
    report.check("both nodes agree on every hot nickname's holder after the " + rate + "/s step",
        disagreements.isEmpty(), disagreements.isEmpty() ? p.hotNicks() + " hot nicknames checked on "
            + fleet.servers().size() + " nodes" : String.join("; ", disagreements));
  }

  private static double cpu(ServerFleet fleet) {
    return fleet.servers().stream().mapToDouble(s -> ProcStats.cpuSeconds(s.pid())).sum();
  }
}
