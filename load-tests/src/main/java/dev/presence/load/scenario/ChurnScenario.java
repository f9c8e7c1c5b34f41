package dev.presence.load.scenario;

import dev.presence.load.report.Figure;
import dev.presence.load.report.ScenarioReport;
import dev.presence.load.run.Generators;
import dev.presence.load.run.Http;
import dev.presence.load.run.RunContext;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.Waits;
import dev.presence.load.run.ServerKind;
import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code churn}: connect, hello (with a nickname), bye cycles at a high rate beside a steady population;
 * afterwards nothing may have leaked: sessions on {@code /health} and {@code /presence} back to the steady
 * population, the churned nicknames free ({@code GET /nicknames/{nick}} 404), heap after full GC and open
 * files back near their baseline. Ours against bare for the cycle rate and the leak of memory and files.
 */
final class ChurnScenario implements Scenario {

  /** Heap after GC may end this much above its baseline (tenured caches, JIT) before it counts as a leak. */
  static final double HEAP_SLACK_FRACTION = 0.10;
  /** ... or this many bytes, whichever is larger. */
  static final long HEAP_SLACK_BYTES = 8L << 20;
  /** Open files may differ by this many (log rolls, Hazelcast connections). */
  static final long FD_SLACK = 20;

  /**
   * @param steady        sessions held throughout
   * @param ratePerSecond offered cycles per second
   * @param seconds       how long cycles start, s
   * @param maxInFlight   cycles open at once
   * @param nickSample    churned nicknames checked afterwards
   * @param ttlWaitSeconds how long to wait before a second heap measurement, s (0: none): a released
   *                      nickname keeps a tombstone for the lease TTL (protocol §7, 51 s by default), so
   *                      heap right after churn holds one per churned nickname by design
   */
  record Params(int steady, int ratePerSecond, int seconds, int maxInFlight, int nickSample, int ttlWaitSeconds) {
  }

  /** One fleet's outcome. */
  private record Result(ServerKind kind, long completed, long failed, String firstError, double cyclesPerSecond,
      Percentiles cycle, MemorySnapshot before, MemorySnapshot after, MemorySnapshot afterTtl, int sessionsAfter,
      long presenceAfter, List<String> nicksStillHeld, int nicksChecked) {
  }

  @Override
  public String name() {
    return "churn";
  }

  @Override
  public String title() {
    return "connect / hello / bye cycles beside a steady population, then a leak check";
  }

  static Params params(Size size) {
    return size == Size.SMOKE ? new Params(100, 50, 4, 20, 20, 0) : new Params(2000, 300, 30, 100, 200, 65);
  }

  @Override
  public void run(RunContext run, ScenarioReport report) {
    Params p = params(run.size());
    report.parameter("steadySessions", p.steady()).parameter("offeredCyclesPerSecond", p.ratePerSecond())
        .parameter("seconds", p.seconds()).parameter("cyclesInFlight", p.maxInFlight());
    Result bare = measure(run, ServerKind.BARE, p);
    Result ours = measure(run, ServerKind.OURS, p);
    report.figure(Figure.of("completed cycles", "", ours.completed(), bare.completed(), null, null));
    report.figure(Figure.of("failed cycles", "", ours.failed(), bare.failed(), null, null));
    report.figure(Figure.of("cycle rate", "/s", ours.cyclesPerSecond(), bare.cyclesPerSecond(), null,
        "completed cycles / churn seconds"));
    report.figure(Figure.of("cycle latency p50", "ms", ours.cycle().p50(), bare.cycle().p50(), null,
        "connect → welcome → bye → close 1000"));
    report.figure(Figure.of("cycle latency p99", "ms", ours.cycle().p99(), bare.cycle().p99(), null, null));
    report.figure(Figure.of("heap after full GC, after − before", "bytes",
        ours.after().heapBytes() - ours.before().heapBytes(), bare.after().heapBytes() - bare.before().heapBytes(),
        null, null));
    if (ours.afterTtl() != null && bare.afterTtl() != null) {
      report.figure(Figure.of("heap after full GC, " + p.ttlWaitSeconds() + " s later (past the lease TTL) − before",
          "bytes", ours.afterTtl().heapBytes() - ours.before().heapBytes(),
          bare.afterTtl().heapBytes() - bare.before().heapBytes(), null,
          "released nicknames keep a tombstone for the lease TTL (protocol §7)"));
    }
    report.figure(Figure.of("open files, after − before", "", ours.after().openFiles() - ours.before().openFiles(),
        bare.after().openFiles() - bare.before().openFiles(), null, null));
    for (Result r : List.of(ours, bare)) {
      String who = r.kind().label();
      report.check(who + ": sessions on /health back to the steady population", r.sessionsAfter() == p.steady(),
          r.sessionsAfter() + " (steady " + p.steady() + ")");
      long heapLimit = Math.max(HEAP_SLACK_BYTES, (long) (r.before().heapBytes() * HEAP_SLACK_FRACTION));
      MemorySnapshot last = r.afterTtl() != null ? r.afterTtl() : r.after();
      report.check(who + ": heap after full GC back near its baseline" + (r.afterTtl() != null
              ? " (" + p.ttlWaitSeconds() + " s after the churn, past the lease TTL)" : ""),
          last.heapBytes() - r.before().heapBytes() <= heapLimit, r.before().heapBytes() + " → "
              + last.heapBytes() + " bytes (allowed +" + heapLimit + ")");
      report.check(who + ": open files back near their baseline",
          Math.abs(r.after().openFiles() - r.before().openFiles()) <= FD_SLACK, r.before().openFiles() + " → "
              + r.after().openFiles());
      report.sanity(who + " completed cycles", r.completed() > 0, r.completed() + " cycles, first error "
          + r.firstError());
    }
    report.check("ours: /presence lists the steady population", ours.presenceAfter() == p.steady(),
        ours.presenceAfter() + " listed (steady " + p.steady() + ")");
    report.check("ours: churned nicknames are free (404)", ours.nicksStillHeld().isEmpty(), ours.nicksChecked()
        + " checked" + (ours.nicksStillHeld().isEmpty() ? "" : "; still held: " + ours.nicksStillHeld()));
    report.sanity("ours nicknames checked", ours.nicksChecked() > 0, ours.nicksChecked() + " nicknames");
    if (ours.firstError() != null) {
      report.note("ours: first failed cycle: " + ours.firstError());
    }
  }

  private static Result measure(RunContext run, ServerKind kind, Params p) {
    String label = "churn-" + kind.label();
    try (ServerFleet fleet = ServerFleet.start(run, kind, 1, label, ServerFleet.DEFAULT_HEARTBEAT_MS);
        Generators generators = Generators.start(run, 1, label)) {
      Ramp.connect(fleet, generators, i -> Generators.command("connect").put("endpoints", fleet.endpoints())
          .put("count", p.steady()).put("nick", true).put("maxInFlight", 100));
      MemorySnapshot before = MemorySnapshot.afterFullGc(fleet);
      JsonObject done = generators.all(i -> Generators.command("churn").put("endpoints", fleet.endpoints())
          .put("rate", p.ratePerSecond()).put("durationMs", p.seconds() * 1000L).put("maxInFlight", p.maxInFlight())
          .put("firstIndex", 0), p.seconds() * 1000L + 60_000).get(0);
      Waits.sleep(2000); // cleanup after the last close frame is asynchronous on the node
      int sessions = fleet.sessions();
      int port = fleet.servers().get(0).adminPort();
      long listed = kind == ServerKind.OURS ? PresencePages.count(port) : -1;
      List<String> stillHeld = new ArrayList<>();
      int checked = 0;
      long completed = done.getLong("completed");
      if (kind == ServerKind.OURS && completed > 0) {
        int started = done.getInteger("started");
        int stride = Math.max(1, started / p.nickSample());
        for (int i = 0; i < started && checked < p.nickSample(); i += stride, checked++) {
          String nick = done.getString("nickPrefix") + (done.getInteger("firstIndex") + i);
          int status = Http.get(port, "/nicknames/" + nick, 5000).status();
          if (status != 404) {
            stillHeld.add(nick + " (" + status + ")");
          }
        }
      }
      MemorySnapshot after = MemorySnapshot.afterFullGc(fleet);
      MemorySnapshot afterTtl = null;
      if (p.ttlWaitSeconds() > 0) {
        Waits.sleep(p.ttlWaitSeconds() * 1000L);
        afterTtl = MemorySnapshot.afterFullGc(fleet);
      }
      return new Result(kind, completed, done.getLong("failed") + done.getLong("unfinished"),
          done.getString("firstError"), completed / (double) p.seconds(),
          Percentiles.ofMicros(Histograms.decode(done.getString("cycle"))), before, after, afterTtl, sessions,
          listed, stillHeld, checked);
    }
  }
}
