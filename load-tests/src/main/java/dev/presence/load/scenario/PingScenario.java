package dev.presence.load.scenario;

import dev.presence.load.report.Chart;
import dev.presence.load.report.Figure;
import dev.presence.load.report.Fmt;
import dev.presence.load.report.Goal;
import dev.presence.load.report.ScenarioReport;
import dev.presence.load.report.Series;
import dev.presence.load.report.Table;
import dev.presence.load.run.Generators;
import dev.presence.load.run.ProcStats;
import dev.presence.load.run.RunContext;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.ServerKind;
import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code ping}: application {@code ping}/{@code pong} at increasing offered rates on a population of 1k
 * and then 10k sessions; the saturation rate (highest rate with ≥ 95 % achieved and p99 under the bound)
 * and the latency, ours against bare. Two generator processes share the offer, so that one generator's
 * event loop is not the limit.
 */
final class PingScenario implements Scenario {

  /**
   * @param populations sessions held while pinging, ascending
   * @param rates       offered pings per second, ascending
   * @param stepSeconds length of a step, s
   * @param generators  generator processes
   * @param p99BoundMs  latency bound of a sustained step, ms
   */
  record Params(List<Integer> populations, List<Integer> rates, int stepSeconds, int generators, double p99BoundMs) {
  }

  @Override
  public String name() {
    return "ping";
  }

  @Override
  public String title() {
    return "request/response ping at increasing rates on 1k and 10k sessions (vs bare)";
  }

  static Params params(Size size) {
    return size == Size.SMOKE ? new Params(List.of(100), List.of(200, 400), 2, 2, 100)
        : new Params(List.of(1000, 10_000), List.of(1000, 4000, 8000, 16_000, 32_000, 48_000, 64_000, 96_000),
            5, 2, 100);
  }

  @Override
  public void run(RunContext run, ScenarioReport report) {
    Params p = params(run.size());
    report.parameter("populations", p.populations()).parameter("offeredRates", p.rates())
        .parameter("stepSeconds", p.stepSeconds()).parameter("generatorProcesses", p.generators())
        .parameter("p99BoundMs", p.p99BoundMs());
    Map<Integer, List<RateStep>> bare = measure(run, ServerKind.BARE, p);
    Map<Integer, List<RateStep>> ours = measure(run, ServerKind.OURS, p);
    List<Series> p99Lines = new ArrayList<>();
    for (int population : p.populations()) {
      List<RateStep> o = ours.get(population);
      List<RateStep> b = bare.get(population);
      double oursSat = RateStep.saturation(o, p.p99BoundMs());
      double bareSat = RateStep.saturation(b, p.p99BoundMs());
      String unreached = topSustained(o, p) || topSustained(b, p)
          ? "; " + (topSustained(o, p) ? "ours" : "") + (topSustained(o, p) && topSustained(b, p) ? " and " : "")
              + (topSustained(b, p) ? "bare" : "") + " sustained the highest rate offered: a lower bound"
          : "";
      report.figure(Figure.of("saturation rate, " + population + " sessions", "pings/s", oursSat, bareSat,
          Goal.ratioAtLeast(0.7, "≥ 70 % of bare"), "highest offered rate with ≥ 95 % achieved and p99 ≤ "
              + Fmt.num(p.p99BoundMs()) + " ms" + unreached));
      RateStep oc = common(o, b, p.p99BoundMs());
      RateStep bc = common(b, o, p.p99BoundMs());
      String at = oc == null ? "" : " at " + Fmt.num(oc.offered()) + "/s";
      report.figure(Figure.of("ping RTT p50" + at + ", " + population + " sessions", "ms",
          oc == null ? Double.NaN : oc.latency().p50(), bc == null ? Double.NaN : bc.latency().p50(), null,
          "at the highest rate both sustained"));
      report.figure(Figure.of("ping RTT p99" + at + ", " + population + " sessions", "ms",
          oc == null ? Double.NaN : oc.latency().p99(), bc == null ? Double.NaN : bc.latency().p99(), null, null));
      report.figure(Figure.of("ping RTT p99.9" + at + ", " + population + " sessions", "ms",
          oc == null ? Double.NaN : oc.latency().p999(), bc == null ? Double.NaN : bc.latency().p999(), null, null));
      table(report, "ours", population, o, p);
      table(report, "bare", population, b, p);
      p99Lines.add(new Series("ours " + population, p99Points(o)));
      p99Lines.add(new Series("bare " + population, p99Points(b)));
      for (String who : List.of("ours", "bare")) {
        List<RateStep> steps = who.equals("ours") ? o : b;
        report.sanity(who + " answered pings on " + population + " sessions",
            !steps.isEmpty() && steps.get(0).latency().count() > 0,
            steps.isEmpty() ? "no step" : steps.get(0).latency().count() + " pongs at the first rate");
      }
    }
    report.chart(new Chart("Ping RTT p99 by offered rate", "offered pings/s", "ms", p99Lines));
    report.note("An unreported warm-up step at the first rate runs before the first population's steps. "
        + "Stepping stops after two unsustained steps in a row; the saturation rate is the highest sustained one. "
        + "Latency is from the generator's send to its receipt of the pong (seq carries the send time), open "
        + "loop: the offer does not wait for answers.");
  }

  /** @return true if the highest rate of the plan was offered and sustained (the knee lies beyond it) */
  private static boolean topSustained(List<RateStep> steps, Params p) {
    return !steps.isEmpty() && steps.get(steps.size() - 1).offered() == p.rates().get(p.rates().size() - 1)
        && steps.get(steps.size() - 1).sustained(p.p99BoundMs());
  }

  /** @return my step at the highest rate both sustained (else my first step), or null without steps */
  private static RateStep common(List<RateStep> mine, List<RateStep> other, double bound) {
    RateStep found = mine.isEmpty() ? null : mine.get(0);
    for (RateStep step : mine) {
      boolean bothSustained = step.sustained(bound) && other.stream()
          .anyMatch(o -> o.offered() == step.offered() && o.sustained(bound));
      if (bothSustained && step.offered() >= found.offered()) {
        found = step;
      }
    }
    return found;
  }

  private static List<double[]> p99Points(List<RateStep> steps) {
    return steps.stream().map(s -> new double[] {s.offered(), s.latency().p99()}).toList();
  }

  private static void table(ScenarioReport report, String label, int population, List<RateStep> steps, Params p) {
    Table table = Table.of(label + ", " + population + " sessions", "offered/s", "sent/s", "achieved/s", "p50 ms",
        "p99 ms", "p99.9 ms", "max ms", "server CPU %", "generators CPU %", "sustained");
    for (RateStep s : steps) {
      table.add(Fmt.num(s.offered()), Fmt.num(s.sentPerSecond()), Fmt.num(s.achievedPerSecond()),
          Fmt.num(s.latency().p50()), Fmt.num(s.latency().p99()), Fmt.num(s.latency().p999()),
          Fmt.num(s.latency().max()), Fmt.num(s.serverCpuPercent()), Fmt.num(s.generatorCpuPercent()),
          s.sustained(p.p99BoundMs()) ? "yes" : "no");
    }
    report.table(table);
  }

  private static Map<Integer, List<RateStep>> measure(RunContext run, ServerKind kind, Params p) {
    Map<Integer, List<RateStep>> byPopulation = new LinkedHashMap<>();
    String label = "ping-" + kind.label();
    try (ServerFleet fleet = ServerFleet.start(run, kind, 1, label, ServerFleet.DEFAULT_HEARTBEAT_MS);
        Generators generators = Generators.start(run, p.generators(), label)) {
      int connected = 0;
      for (int population : p.populations()) {
        int[] split = generators.split(population - connected);
        int[] first = generators.split(connected);
        Ramp.connect(fleet, generators, i -> Generators.command("connect").put("endpoints", fleet.endpoints())
            .put("count", split[i]).put("firstIndex", first[i]).put("nick", false).put("maxInFlight", 100));
        connected = population;
        if (byPopulation.isEmpty()) {
          step(fleet, generators, p.rates().get(0), p.stepSeconds()); // unreported warm-up of both JVMs
        }
        List<RateStep> steps = new ArrayList<>();
        for (int rate : p.rates()) {
          RateStep step = step(fleet, generators, rate, p.stepSeconds());
          steps.add(step);
          if (RateStep.shouldStop(steps, p.p99BoundMs())) {
            break;
          }
        }
        byPopulation.put(population, steps);
      }
    }
    return byPopulation;
  }

  private static RateStep step(ServerFleet fleet, Generators generators, int rate, int seconds) {
    double serverCpu = cpu(fleet.servers().stream().map(s -> s.pid()).toList());
    double generatorCpu = cpu(generators.processes().stream().map(g -> g.process().pid()).toList());
    long start = System.nanoTime();
    double perGenerator = rate / (double) generators.processes().size();
    List<JsonObject> done = generators.all(i -> Generators.command("ping").put("rate", perGenerator)
        .put("durationMs", seconds * 1000L), seconds * 1000L + 30_000);
    double wall = Math.max(seconds, (System.nanoTime() - start) / 1e9);
    Histogram rtt = Histograms.newMicros();
    long sent = 0;
    long inWindow = 0;
    for (JsonObject d : done) {
      rtt.add(Histograms.decode(d.getString("rtt")));
      sent += d.getLong("sent");
      inWindow += d.getLong("receivedInWindow");
    }
    double serverPercent = 100 * (cpu(fleet.servers().stream().map(s -> s.pid()).toList()) - serverCpu) / wall;
    double generatorPercent = 100 * (cpu(generators.processes().stream().map(g -> g.process().pid()).toList())
        - generatorCpu) / wall;
    return new RateStep(rate, sent / (double) seconds, inWindow / (double) seconds, Percentiles.ofMicros(rtt),
        serverPercent, generatorPercent);
  }

  private static double cpu(List<Long> pids) {
    return pids.stream().mapToDouble(ProcStats::cpuSeconds).sum();
  }
}
