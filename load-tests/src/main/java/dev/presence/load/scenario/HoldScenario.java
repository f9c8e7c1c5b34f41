package dev.presence.load.scenario;

import dev.presence.load.generator.AccessTokens;
import dev.presence.load.report.Figure;
import dev.presence.load.report.Goal;
import dev.presence.load.report.ScenarioReport;
import dev.presence.load.run.LoadTls;
import dev.presence.load.run.RunContext;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.ServerKind;
import java.util.List;

/**
 * {@code hold} (one node), {@code hold-cluster} (several nodes) and {@code hold-tls} (one node, every session over
 * wss:// against a bare server with the same TLS settings): how many sessions a node holds and what each costs
 * (connect rate, heap and RSS per session after full GC, CPU, heartbeat round trips, Hazelcast operations), ours
 * against the bare baseline, measured one after the other.
 */
final class HoldScenario implements Scenario {

  /**
   * @param nodes               servers in the fleet (ours: cluster members; bare: independent servers)
   * @param sessions            sessions to open in total
   * @param holdSeconds         how long they are held after the ramp, s
   * @param heartbeatMs         server ping interval, ms
   * @param pingSamplesPerSecond application pings per second over the population (the RTT sample)
   * @param maxInFlight         connects in flight per generator
   */
  record Params(int nodes, int sessions, int holdSeconds, long heartbeatMs, int pingSamplesPerSecond,
      int maxInFlight) {
  }

  private final boolean cluster;
  private final boolean tls;

  HoldScenario(boolean cluster) {
    this(cluster, false);
  }

  /**
   * @param cluster several nodes (and as many bare servers)
   * @param tls     every server speaks TLS with a pair made for the run; the connect rate then includes the TLS
   *                handshake, and per-session memory the TLS state
   */
  HoldScenario(boolean cluster, boolean tls) {
    this.cluster = cluster;
    this.tls = tls;
  }

  @Override
  public String name() {
    return (cluster ? "hold-cluster" : "hold") + (tls ? "-tls" : "");
  }

  @Override
  public String title() {
    if (tls) {
      return "sessions held on one node over TLS, wss:// (vs one bare server with the same TLS settings)";
    }
    return cluster ? "many sessions held over a cluster of nodes (vs as many bare servers)"
        : "sessions held on one node, heartbeating (vs one bare server)";
  }

  static Params params(boolean cluster, boolean tls, Size size) {
    if (size == Size.SMOKE && tls) {
      // Half of hold's: a TLS connect costs the handshake, and smoke runs inside CI's time budget.
      return new Params(1, 150, 6, 2000, 20, 50);
    }
    if (size == Size.SMOKE) {
      return new Params(cluster ? 2 : 1, cluster ? 400 : 300, 6, 2000, 20, 50);
    }
    return cluster ? new Params(5, 90_000, 30, ServerFleet.DEFAULT_HEARTBEAT_MS, 100, 100)
        : new Params(1, 19_000, 60, ServerFleet.DEFAULT_HEARTBEAT_MS, 100, 200);
  }

  @Override
  public void run(RunContext run, ScenarioReport report) {
    Params p = params(cluster, tls, run.size());
    LoadTls pair = tls ? LoadTls.generate(run.outDir().resolve("tls")) : null;
    report.parameter("tls", tls ? "TLS 1.2/1.3, ALPN http/1.1, self-signed RSA 2048 (both servers)" : "none")
        .parameter("auth", AccessTokens.secret() == null ? "none (hello.user)" : "jwt (HS256 token in hello)")
        .parameter("nodes", p.nodes()).parameter("sessions", p.sessions()).parameter("holdSeconds", p.holdSeconds())
        .parameter("heartbeatMs", p.heartbeatMs()).parameter("appPingsPerSecond", p.pingSamplesPerSecond())
        .parameter("connectsInFlightPerGenerator", p.maxInFlight());
    HoldRun.Result bare = HoldRun.measure(run, ServerKind.BARE, p, name(), pair);
    HoldRun.Result ours = HoldRun.measure(run, ServerKind.OURS, p, name(), pair);
    figures(report, p, ours, bare);
    List<Timelines.Run> runs = List.of(ours.timeline(), bare.timeline());
    Timelines.serverCharts(runs).forEach(report::chart);
    report.chart(Timelines.latencyChart("Application ping → pong round trip per second (generator sample)", "ping",
        run.statusLog(), runs));
    report.chart(Timelines.latencyChart("Connect latency per second (upgrade + hello + welcome)", "connect",
        run.statusLog(), runs));
    report.text("Class histogram, ours (" + ours.held() + " sessions, top 15, after full GC)", ours.histogram());
    report.text("Class histogram, bare (" + bare.held() + " sessions, top 15, after full GC)", bare.histogram());
    for (HoldRun.Result r : List.of(ours, bare)) {
      if (r.firstError() != null) {
        report.note(r.kind().label() + ": first connect failure: " + r.firstError());
      }
      report.sanity(r.kind().label() + " holds sessions", r.held() > 0, r.held() + " sessions on /health, "
          + r.generatorsOpen() + " open at the generators");
      report.sanity(r.kind().label() + " per-session memory measured", Double.isFinite(r.heapPerSession()),
          "heap/session " + r.heapPerSession());
      report.sanity(r.kind().label() + " heartbeat round trips recorded", r.heartbeat().count() > 0,
          r.heartbeat().count() + " pongs");
    }
    report.note("Ours then bare are measured one after the other on the same machine, with the same JVM flags and "
        + "the same generator; per-session memory is (after − before) / sessions held, both after a full GC "
        + "(jcmd GC.run). Heartbeat percentiles of ours come from the node's Prometheus buckets (bucket upper "
        + "bounds), of bare from an exact HdrHistogram.");
  }

  private static void figures(ScenarioReport report, Params p, HoldRun.Result ours, HoldRun.Result bare) {
    report.figure(Figure.of("sessions held", "", ours.held(), bare.held(),
        Goal.atLeast(p.sessions(), "≥ " + String.format("%,d", p.sessions()) + " (all requested)"),
        "sum of /health sessions at the end of the hold"));
    report.figure(Figure.of("connect failures", "", ours.failed(), bare.failed(), null, null));
    report.figure(Figure.of("connect rate", "/s", ours.connectRate(), bare.connectRate(),
        Goal.ratioAtLeast(0.7, "≥ 70 % of bare"), "sessions welcomed / ramp wall time"));
    report.figure(Figure.of("connect latency p50", "ms", ours.connect().p50(), bare.connect().p50(), null, null));
    report.figure(Figure.of("connect latency p99", "ms", ours.connect().p99(), bare.connect().p99(), null, null));
    report.figure(Figure.of("heap per session after full GC", "bytes", ours.heapPerSession(), bare.heapPerSession(),
        Goal.ratioAtMost(2.0, "≤ 2 × bare"), "jcmd GC.run + GC.heap_info, after − before"));
    report.figure(Figure.of("RSS per session", "bytes", ours.rssPerSession(), bare.rssPerSession(), null,
        "/proc/<pid>/status VmRSS, after − before"));
    report.figure(Figure.of("server CPU while holding", "% of a core", ours.cpuPercent(), bare.cpuPercent(), null,
        "/proc/<pid>/stat utime+stime over the hold"));
    report.figure(Figure.of("heartbeat RTT p50 (server ping → pong)", "ms", ours.heartbeat().p50(),
        bare.heartbeat().p50(), null, null));
    report.figure(Figure.of("heartbeat RTT p99", "ms", ours.heartbeat().p99(), bare.heartbeat().p99(),
        Goal.atMost(50, "≤ 50 ms"), "ours: presence_heartbeat_rtt_seconds over the hold"));
    report.figure(Figure.of("heartbeat RTT p99.9", "ms", ours.heartbeat().p999(), bare.heartbeat().p999(), null,
        null));
    report.figure(Figure.of("app ping RTT p50 (generator sample)", "ms", ours.appPing().p50(), bare.appPing().p50(),
        null, null));
    report.figure(Figure.of("app ping RTT p99", "ms", ours.appPing().p99(), bare.appPing().p99(), null, null));
    report.figure(Figure.of("app ping RTT p99.9", "ms", ours.appPing().p999(), bare.appPing().p999(), null, null));
    report.figure(Figure.of("GC pauses while holding", "", ours.gc().count(), bare.gc().count(), null,
        "-Xlog:gc of the servers"));
    report.figure(Figure.of("longest GC pause while holding", "ms", ours.gc().maxMs(), bare.gc().maxMs(), null, null));
    report.figure(Figure.oursOnly("Hazelcast operations while holding", "/s", ours.storeOpsPerSec(), null,
        "presence_store_operations_total; n/a if this build does not export it"));
  }
}
