package dev.presence.load.scenario;

import dev.presence.load.run.Generators;
import dev.presence.load.run.HeartbeatRtt;
import dev.presence.load.run.Jcmd;
import dev.presence.load.run.LoadTls;
import dev.presence.load.run.ProcStats;
import dev.presence.load.run.RunContext;
import dev.presence.load.run.Sampler;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.Waits;
import dev.presence.load.run.ServerKind;
import dev.presence.load.run.ServerProcess;
import dev.presence.load.stats.GcPauses;
import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One fleet's part of the {@code hold} scenario: start the servers, take a memory baseline after full GC,
 * ramp the sessions up (hello with a nickname) as fast as the generators' in-flight cap allows, hold them
 * while the servers heartbeat and the generators sample application pings, then measure memory again after
 * full GC. Scenario thread only.
 */
final class HoldRun {

  /**
   * What one fleet did.
   *
   * @param kind           ours or bare
   * @param welcomed       sessions welcomed during the ramp
   * @param failed         sessions that failed to open
   * @param firstError     the first failure, or null
   * @param rampMs         wall time of the ramp, ms
   * @param connect        upgrade + hello + welcome latency
   * @param held           sessions the servers report at the end of the hold
   * @param generatorsOpen sessions the generators still hold at the end
   * @param heapPerSession heap bytes per session after full GC
   * @param rssPerSession  RSS bytes per session
   * @param cpuPercent     server CPU while holding, % of one core
   * @param heartbeat      server ping → pong, from the servers
   * @param appPing        application ping → pong, from the generators
   * @param storeOpsPerSec Hazelcast operations per second while holding (NaN if not exported)
   * @param gc             the servers' GC pauses while holding
   * @param histogram      top classes of the first server's heap
   * @param timeline       its samples for the charts
   */
  record Result(ServerKind kind, long welcomed, long failed, String firstError, long rampMs, Percentiles connect,
      int held, long generatorsOpen, double heapPerSession, double rssPerSession, double cpuPercent,
      Percentiles heartbeat, Percentiles appPing, double storeOpsPerSec, GcPauses gc, String histogram,
      Timelines.Run timeline) {

    /** @return sessions welcomed per second of ramp */
    double connectRate() {
      return rampMs <= 0 ? Double.NaN : welcomed * 1000.0 / rampMs;
    }
  }

  private HoldRun() {
  }

  /** Sessions of one warm-up round (at most the population). */
  static final int WARM_UP_SESSIONS = 4_000;
  /**
   * Warm-up rounds. One: a profile of the measured ramp after it still showed 58 % of our node's CPU in the
   * JIT compilers, but a run with 5 rounds (to pass C2's thresholds of about 10,000 invocations) left both
   * servers disturbed during the hold (heartbeat p99 above 1 s for both, a 775 ms pause on ours, with 20,000
   * warm-up nicknames expiring from grace in the middle of it): not a cleaner measurement.
   */
  static final int WARM_UP_ROUNDS = 1;

  /**
   * Connects {@link #WARM_UP_SESSIONS} sessions (other users than the measured ones) and resets them, then
   * waits until the servers hold none; {@link #WARM_UP_ROUNDS} times for a full-size run. Both servers start cold, and a profile of our node's first ramp
   * showed 53 % of its CPU in the JIT compilers (it has far more code on the connect path than the bare
   * server: Hazelcast calls, nickname rules); a node in service has that code compiled. The measured ramp
   * then meets both warm. Our node keeps the warm-up's nicknames in grace (small map entries) in the baseline.
   */
  private static void warmUp(ServerFleet fleet, Generators generators, List<String> endpoints,
      HoldScenario.Params p) {
    int[] split = generators.split(Math.min(p.sessions(), WARM_UP_SESSIONS));
    int rounds = p.sessions() > WARM_UP_SESSIONS ? WARM_UP_ROUNDS : 1;
    for (int round = 0; round < rounds; round++) {
      int firstIndex = 1_000_000 + round * WARM_UP_SESSIONS;
      Ramp.connect(fleet, generators, i -> Generators.command("connect").put("endpoints", endpoints)
          .put("count", split[i]).put("firstIndex", firstIndex).put("nick", true)
          .put("maxInFlight", p.maxInFlight()));
      generators.all(i -> Generators.command("reset").put("count", split[i]), 30_000);
      long deadline = System.currentTimeMillis() + 60_000;
      while (fleet.sessions() > 0 && System.currentTimeMillis() < deadline) {
        Waits.sleep(200);
      }
    }
  }

  static Result measure(RunContext run, ServerKind kind, HoldScenario.Params p, String label, LoadTls tls) {
    try (ServerFleet fleet = ServerFleet.start(run, kind, p.nodes(), label + "-" + kind.label(), p.heartbeatMs(),
        tls); Sampler sampler = new Sampler(fleet, 1000)) {
      try (Generators generators = Generators.start(run, Generators.processesFor(p.sessions()),
          label + "-" + kind.label(), tls)) {
        List<String> endpoints = fleet.endpoints();
        warmUp(fleet, generators, endpoints, p);
        MemorySnapshot before = MemorySnapshot.afterFullGc(fleet);
        int[] split = generators.split(p.sessions());
        long rampStart = System.currentTimeMillis();
        List<JsonObject> ramp = Ramp.connect(fleet, generators, i -> Generators.command("connect")
            .put("endpoints", endpoints).put("count", split[i]).put("firstIndex", 0).put("nick", true)
            .put("maxInFlight", p.maxInFlight()));
        long rampMs = System.currentTimeMillis() - rampStart;
        long welcomed = ramp.stream().mapToLong(d -> d.getLong("welcomed")).sum();
        long failed = ramp.stream().mapToLong(d -> d.getLong("failed")).sum();
        String firstError = ramp.stream().map(d -> d.getString("firstError")).filter(e -> e != null).findFirst()
            .orElse(null);
        Histogram connect = Histograms.newMicros();
        ramp.forEach(d -> connect.add(Histograms.decode(d.getString("connect"))));

        int perGenerator = Math.max(1, p.pingSamplesPerSecond() / split.length);
        generators.all(i -> Generators.command("ping").put("rate", perGenerator).put("durationMs", 0), 10_000);
        HeartbeatRtt rttBefore = fleet.heartbeatRtt();
        double cpuBefore = cpuSeconds(fleet);
        double opsBefore = fleet.metricSum("presence_store_operations_total", Map.of());
        long holdStart = System.currentTimeMillis();
        Waits.sleep(p.holdSeconds() * 1000L);
        long holdMs = System.currentTimeMillis() - holdStart;
        double cpuPercent = 100.0 * (cpuSeconds(fleet) - cpuBefore) / (holdMs / 1000.0);
        double opsPerSec = (fleet.metricSum("presence_store_operations_total", Map.of()) - opsBefore)
            / (holdMs / 1000.0);
        Percentiles heartbeat = fleet.heartbeatRtt().since(rttBefore);
        generators.all(i -> Generators.command("ping").put("rate", 0).put("durationMs", 0), 10_000);
        long holdEnd = System.currentTimeMillis();
        GcPauses gc = fleet.gcPauses(holdStart, holdEnd);
        Percentiles appPing = Percentiles.ofMicros(run.statusLog().merged("ping", holdStart, holdEnd));
        int held = fleet.sessions();
        long generatorsOpen = generators.open();

        MemorySnapshot after = MemorySnapshot.afterFullGc(fleet);
        ServerProcess first = fleet.servers().get(0);
        String histogram = Jcmd.classHistogram(first.pid(), 15);
        long sessionsOnFleet = Math.max(held, 0);
        return new Result(kind, welcomed, failed, firstError, rampMs, Percentiles.ofMicros(connect), held,
            generatorsOpen, after.heapPerSession(before, sessionsOnFleet), after.rssPerSession(before,
            sessionsOnFleet), cpuPercent, heartbeat, appPing, opsPerSec, gc, histogram,
            new Timelines.Run(kind.label(), sampler, System.currentTimeMillis()));
      }
    }
  }

  private static double cpuSeconds(ServerFleet fleet) {
    return fleet.servers().stream().mapToDouble(s -> ProcStats.cpuSeconds(s.pid())).sum();
  }
}
