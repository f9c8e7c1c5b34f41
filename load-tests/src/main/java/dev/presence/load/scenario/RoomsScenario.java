package dev.presence.load.scenario;

import dev.presence.load.generator.RoomPlan;
import dev.presence.load.report.Figure;
import dev.presence.load.report.Fmt;
import dev.presence.load.report.Goal;
import dev.presence.load.report.ScenarioReport;
import dev.presence.load.report.Table;
import dev.presence.load.run.GeneratorProcess;
import dev.presence.load.run.Generators;
import dev.presence.load.run.Http;
import dev.presence.load.run.Jcmd;
import dev.presence.load.run.RunContext;
import dev.presence.load.run.Sampler;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.ServerKind;
import dev.presence.load.run.ServerProcess;
import dev.presence.load.run.Waits;
import dev.presence.load.stats.ClassHistogramDiff;
import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code rooms} (issue #13): sessions over two nodes, each in three rooms drawn from many small rooms of Zipf sizes
 * plus one large room ({@link RoomPlan}); every join watches. Measures the join rate and latency at an offered rate,
 * heap per membership beyond the session (after full GC: after the joins minus after the hellos), fan-out frames per
 * session while quiet and under leave/re-join churn, {@code GET /rooms/{room}} of a ~50-member room while holding, how
 * long a leave takes to reach watchers on the other node, and a join storm into the large room (frames per watcher
 * per second, heap growth per node). The same phases run first against the bare server's in-memory rooms (one
 * process), then against ours. Scenario thread only.
 */
final class RoomsScenario implements Scenario {

  /** The renewal batches among the store operations (one per map per verticle per renewal or re-check). */
  private static final Map<String, String> RENEW_BATCHES = Map.of("operation", "renew_batch");
  /** The late ticks judged busy loops, which re-check nothing. */
  private static final Map<String, String> LOOP_BUSY = Map.of("cause", "loop_busy");

  /**
   * @param nodes           cluster members
   * @param sessions        sessions, spread round-robin over the nodes
   * @param plan            rooms of each session
   * @param joinRate        offered joins per second over every generator
   * @param quietSeconds    fan-out measured with no room changes, s
   * @param holdSeconds     leave/re-join churn and room queries, s
   * @param churnRate       leaves per second (each re-joined 1 s later)
   * @param queryRate       {@code GET /rooms/{room}} per second, alternating nodes
   * @param queryMembers    the queried room's size is the small room closest to this
   * @param stormJoins      joins into the large room in the storm
   * @param stormSeconds    over how many seconds they are sent
   * @param windowSeconds   seconds of watcher frame counts from the storm's start
   * @param warmUpSessions  sessions that connect, join three of 50 warm-up rooms and are reset before measuring (0:
   *                        none)
   * @param settleMs        pause before a heap measurement, for the last diffs and digests to go out, ms
   * @param nodeEnvironment extra node settings
   */
  record Params(int nodes, int sessions, RoomPlan plan, int joinRate, int quietSeconds, int holdSeconds,
      int churnRate, int queryRate, int queryMembers, int stormJoins, int stormSeconds, int windowSeconds,
      int warmUpSessions, long settleMs, Map<String, String> nodeEnvironment) {
  }

  /** What two heap-after-full-GC readings of a node differ by with nothing added (smoke runs: up to ±3 MB). */
  static final long HEAP_RESOLUTION_BYTES = 4L << 20;
  /**
   * Margin of the storm's live-object bound for objects that come and go (pooled buffers and the like). Live bytes
   * from class histograms are far steadier than heap used: both nodes' growth over the joins of a smoke run agreed to
   * within 0.2 %.
   */
  static final long STORM_MARGIN_BYTES = 1L << 20;

  /** Memberships beyond which a room's watchers get counts: the node's default PRESENCE_ROOM_LARGE. */
  static final int DEFAULT_ROOM_LARGE = 1000;

  @Override
  public String name() {
    return "rooms";
  }

  @Override
  public String title() {
    return "sessions in three rooms each (Zipf-sized small rooms + one large room) over two nodes, with a join storm";
  }

  static Params params(Size size) {
    if (size == Size.SMOKE) {
      // The large room must be in counts mode as at full size: PRESENCE_ROOM_LARGE scaled down to 50, small rooms
      // kept at or below it.
      // A token warm-up (40 sessions): smoke proves the tooling, including the warm-up's path, in CI's time budget.
      return new Params(2, 200, new RoomPlan(200, 20, 80, 1.0, 2, 50, 13), 200, 1, 3, 20, 20, 50, 20, 1, 3, 40,
          1000, Map.of("PRESENCE_ROOM_LARGE", "50"));
    }
    // The issue's numbers: 19,000 sessions, 3 rooms each, 2,000 small rooms + one 5,000-member room, joins offered at
    // 2,000/s, a storm of 500 joins in one second. Small rooms capped at 500 (below PRESENCE_ROOM_LARGE, 1,000).
    return new Params(2, 19_000, new RoomPlan(19_000, 2000, 5000, 1.0, 2, 500, 13), offeredJoinRate(2000), 10, 30,
        100, 20, 50, 500, 1, 5, 2000, 2000, Map.of());
  }

  /**
   * The offered join rate: the issue's 2,000/s, or {@code LOAD_ROOMS_JOIN_RATE} to find where this machine's join
   * latency bends (a run at another rate is a capacity probe; its join figures do not answer the issue's goal).
   */
  static int offeredJoinRate(int issueRate) {
    String rate = System.getenv().getOrDefault("LOAD_ROOMS_JOIN_RATE", "").trim();
    return rate.isEmpty() ? issueRate : Integer.parseInt(rate);
  }

  @Override
  public void run(RunContext run, ScenarioReport report) throws Exception {
    Params p = params(run.size());
    RoomPlan plan = p.plan();
    int[] sizes = plan.smallSizes();
    int queryRoom = plan.smallRoomNear(p.queryMembers());
    String queryName = RoomPlan.smallRoom(queryRoom);
    report.parameter("nodes", p.nodes()).parameter("sessions", p.sessions())
        .parameter("roomsPerSession", RoomPlan.ROOMS_PER_SESSION).parameter("smallRooms", plan.smallRooms())
        .parameter("smallRoomSizes", "Zipf s=" + plan.zipf() + ", " + sizes[sizes.length - 1] + ".." + sizes[0]
            + " members (capped at " + plan.maxSmall() + ")")
        .parameter("largeRoom", RoomPlan.BIG_ROOM + ", " + plan.bigMembers() + " members")
        .parameter("memberships", plan.memberships()).parameter("offeredJoinsPerSecond", p.joinRate())
        .parameter("quietSeconds", p.quietSeconds()).parameter("holdSeconds", p.holdSeconds())
        .parameter("leaveRejoinPerSecond", p.churnRate()).parameter("roomQueriesPerSecond", p.queryRate())
        .parameter("queriedRoom", queryName + " (" + sizes[queryRoom - 1] + " members)")
        .parameter("storm", p.stormJoins() + " joins in " + p.stormSeconds() + " s into " + RoomPlan.BIG_ROOM)
        .parameter("nodeSettings", p.nodeEnvironment().isEmpty() ? "defaults (PRESENCE_ROOM_LARGE "
            + DEFAULT_ROOM_LARGE + ")" : p.nodeEnvironment().toString())
        .parameter("bare", "one process, rooms in memory (BareRooms), the generators given its endpoint under two "
            + "names (127.0.0.1 and localhost)");
    // Bare first, then ours, each with fresh generators: the same plan, rates and phases.
    Measured bare = measure(run, ServerKind.BARE, p, queryName, report);
    Measured ours = measure(run, ServerKind.OURS, p, queryName, report);
    report(report, p, sizes[queryRoom - 1], ours, bare, run.statusLog());
  }

  /**
   * What one fleet's pass measured. Fields from the nodes' metrics ({@code presence_*}) are NaN for the bare server.
   */
  private record Measured(int servers, long held, long welcomed, long connectMs, long joined, long joinFailed,
      double joinSeconds, Percentiles join, JsonObject joinErrors, double joinsCounted, long joinFrames,
      long compiledDuringJoins, double joinResyncs, double joinRenewals, double joinStalls, double joinBusyStalls,
      double heapPerMembership, double livePerMembership, double quietFanOut, double churnFanOut, Histogram query,
      int[] querySessions, Percentiles cross, Percentiles same, Percentiles leave, Percentiles rejoin,
      JsonObject churnErrors, double corrections, double resyncs, long stormJoined, long stormMs, long watchers,
      long watcherFrames, long maxPerWatcherSecond, double meanPerWatcherSecond, Percentiles stormJoin,
      long worstGrowth, double stormPerNode, Timelines.Run timeline) {
  }

  /**
   * One pass of every phase against a fresh fleet of {@code kind}: ours on {@code p.nodes()} nodes, bare as one
   * process (it has no cluster, so its rooms must live in one process) whose endpoint the generators get under two
   * names, so that a leave's watchers on "the other node" are those connected through the other name, in the same
   * process.
   * Ours adds its class-histogram texts and the storm's tables to the report.
   */
  private static Measured measure(RunContext run, ServerKind kind, Params p, String queryName,
      ScenarioReport report) throws Exception {
    RoomPlan plan = p.plan();
    boolean ours = kind == ServerKind.OURS;
    try (ServerFleet fleet = ServerFleet.start(run, kind, ours ? p.nodes() : 1, "rooms",
        ServerFleet.DEFAULT_HEARTBEAT_MS, null, p.nodeEnvironment());
        Sampler sampler = new Sampler(fleet, 1000);
        Generators generators = Generators.start(run, Generators.processesFor(p.sessions()), "rooms")) {
      // Bare: the same server under two names (the generators count endpoints by address), so that its sessions
      // split in two halves as over ours' two nodes.
      String only = fleet.endpoints().get(0);
      List<String> endpoints = ours ? fleet.endpoints() : List.of(only, only.replace("127.0.0.1:", "localhost:"));
      warmUp(fleet, generators, endpoints, p);

      int[] split = generators.split(p.sessions());
      long connectStart = System.currentTimeMillis();
      List<JsonObject> ramp = Ramp.connect(fleet, generators, i -> Generators.command("connect")
          .put("endpoints", endpoints).put("count", split[i]).put("firstIndex", 0).put("nick", false)
          .put("maxInFlight", 100));
      long connectMs = System.currentTimeMillis() - connectStart;
      long welcomed = ramp.stream().mapToLong(d -> d.getLong("welcomed")).sum();
      MemorySnapshot afterHello = MemorySnapshot.afterFullGc(fleet);
      List<String> histogramsBefore = steadyClassHistograms(fleet);
      long compiledBeforeJoins = compileMillis(fleet);
      double joinResyncsBefore = fleet.metricSum("presence_room_watch_resyncs_total", Map.of());
      double renewalsBefore = fleet.metricSum("presence_store_operations_total", RENEW_BATCHES);
      double stallsBefore = fleet.metricSum("presence_event_loop_stalls_total", Map.of());
      double busyBefore = fleet.metricSum("presence_event_loop_stalls_total", LOOP_BUSY);

      // Joins, paced over the generators; each generator's sessions are the plan's global indexes from its offset.
      int[] offsets = new int[split.length];
      for (int i = 1; i < split.length; i++) {
        offsets[i] = offsets[i - 1] + split[i - 1];
      }
      double joinsBefore = fleet.metricSum("presence_room_joins_total", Map.of());
      long joinFrames0 = frames(generators);
      List<JsonObject> joins = awaitJoins(fleet, generators, i -> Generators.command("joins")
          .put("plan", plan.toJson()).put("offset", offsets[i]).put("rate", p.joinRate() / (double) split.length));
      long joined = sum(joins, "joined");
      // Every join watches: its room's watchers each get a diff (and the joiner a snapshot). This is the join phase's
      // own fan-out, which a node must write and the generators read, on the same machine.
      long joinFrames = frames(generators) - joinFrames0;
      long compiledDuringJoins = compiledBeforeJoins < 0 ? -1 : compileMillis(fleet) - compiledBeforeJoins;
      double joinResyncs = fleet.metricSum("presence_room_watch_resyncs_total", Map.of()) - joinResyncsBefore;
      double joinRenewals = fleet.metricSum("presence_store_operations_total", RENEW_BATCHES) - renewalsBefore;
      double joinStalls = fleet.metricSum("presence_event_loop_stalls_total", Map.of()) - stallsBefore;
      double joinBusyStalls = fleet.metricSum("presence_event_loop_stalls_total", LOOP_BUSY) - busyBefore;
      long joinFailed = sum(joins, "failed");
      double joinSeconds = joins.stream().mapToLong(d -> d.getLong("elapsedMs")).max().orElse(0) / 1000.0;
      Percentiles join = merged(joins, "join");
      JsonObject joinErrors = mergedCounts(joins);
      double joinsCounted = fleet.metricSum("presence_room_joins_total", Map.of()) - joinsBefore;
      Waits.sleep(p.settleMs()); // the last diffs and digests go out before the heap is measured
      MemorySnapshot afterJoins = MemorySnapshot.afterFullGc(fleet);
      List<String> histogramsAfter = steadyClassHistograms(fleet);
      double heapPerMembership = joined <= 0 ? Double.NaN : (afterJoins.heapBytes() - afterHello.heapBytes())
          / (double) joined;
      long liveGrowth = 0;
      for (int i = 0; i < histogramsBefore.size(); i++) {
        liveGrowth += ClassHistogramDiff.totalBytes(histogramsAfter.get(i))
            - ClassHistogramDiff.totalBytes(histogramsBefore.get(i));
      }
      double livePerMembership = joined <= 0 ? Double.NaN : liveGrowth / (double) joined;

      // Quiet: no room changes, only the watch tick's digests (if any) reach the watchers.
      long quietFrames0 = frames(generators);
      long quietStart = System.currentTimeMillis();
      Waits.sleep(p.quietSeconds() * 1000L);
      double quietFanOut = (frames(generators) - quietFrames0) / (double) p.sessions()
          / ((System.currentTimeMillis() - quietStart) / 1000.0);

      // Hold: leave/re-join churn on the generators while this thread queries one room over both nodes.
      double correctionsBefore = fleet.metricSum("presence_room_view_corrections_total", Map.of());
      double resyncsBefore = fleet.metricSum("presence_room_watch_resyncs_total", Map.of());
      long churnFrames0 = frames(generators);
      long holdStart = System.currentTimeMillis();
      List<CompletableFuture<JsonObject>> churn = new ArrayList<>();
      for (GeneratorProcess g : generators.processes()) {
        churn.add(g.send(Generators.command("roomChurn").put("rate", p.churnRate() / (double) split.length)
            .put("durationMs", p.holdSeconds() * 1000L).put("rejoinAfterMs", 1000)));
      }
      Histogram query = Histograms.newMicros();
      int[] querySessions = queryRoom(fleet, queryName, p, query, holdStart + p.holdSeconds() * 1000L);
      long holdMs = System.currentTimeMillis() - holdStart;
      long churnFrames1 = frames(generators);
      List<JsonObject> churnDone = new ArrayList<>();
      for (CompletableFuture<JsonObject> f : churn) {
        churnDone.add(f.get(60, TimeUnit.SECONDS));
      }
      double churnFanOut = (churnFrames1 - churnFrames0) / (double) p.sessions() / (holdMs / 1000.0);
      double corrections = fleet.metricSum("presence_room_view_corrections_total", Map.of()) - correctionsBefore;
      double resyncs = fleet.metricSum("presence_room_watch_resyncs_total", Map.of()) - resyncsBefore;

      // Storm: stormJoins sessions not in the large room join it within stormSeconds; its members count frames.
      Waits.sleep(p.settleMs()); // the churn's last re-joins settle
      List<String> stormBefore = steadyClassHistograms(fleet);
      int[] stormSplit = generators.split(p.stormJoins());
      long stormStart = System.currentTimeMillis();
      List<JsonObject> storm = generators.all(i -> Generators.command("storm").put("room", RoomPlan.BIG_ROOM)
          .put("count", stormSplit[i]).put("rate", stormSplit[i] / (double) p.stormSeconds())
          .put("windowMs", p.windowSeconds() * 1000L), p.windowSeconds() * 1000L + 60_000);
      long stormMs = System.currentTimeMillis() - stormStart;
      Waits.sleep(p.settleMs());
      List<String> stormAfter = steadyClassHistograms(fleet);
      long stormJoined = sum(storm, "joined");
      long watchers = sum(storm, "watchers");
      long watcherFrames = sum(storm, "watcherFrames");
      long maxPerWatcherSecond = storm.stream().mapToLong(d -> d.getLong("maxPerWatcherSecond")).max().orElse(0);
      double meanPerWatcherSecond = watchers == 0 ? Double.NaN
          : watcherFrames / (double) (watchers * p.windowSeconds());
      long worstGrowth = Long.MIN_VALUE;
      int worstNode = 0;
      // The generators spread sessions round-robin over the nodes, so each node holds about its share of the storm.
      double stormPerNode = stormJoined / (double) stormBefore.size();
      Table nodes = Table.of("Join storm, " + kind.label() + ": live objects per server (class histogram after full "
          + "GC)", "server", "before", "after", "growth", "storm memberships on it", "growth per storm membership");
      for (int i = 0; i < stormBefore.size(); i++) {
        long before = ClassHistogramDiff.totalBytes(stormBefore.get(i));
        long after = ClassHistogramDiff.totalBytes(stormAfter.get(i));
        long growth = after - before;
        if (growth > worstGrowth) {
          worstGrowth = growth;
          worstNode = i;
        }
        nodes.add(fleet.servers().get(i).name(), Fmt.num((double) before), Fmt.num((double) after),
            Fmt.num((double) growth), Fmt.num(stormPerNode), Fmt.num(stormPerNode <= 0 ? Double.NaN
            : growth / stormPerNode));
      }
      report.table(nodes);
      if (ours) {
        report.text("Class histogram growth over the storm on " + fleet.servers().get(worstNode).name()
            + " (the node that grew most; bytes/each = per storm membership on it)", ClassHistogramDiff.diff(
            stormBefore.get(worstNode), stormAfter.get(worstNode), 15, Math.round(stormPerNode)));
        report.table(distribution(storm));
        for (int i = 0; i < histogramsBefore.size(); i++) {
          report.text("Class histogram growth on " + fleet.servers().get(i).name() + " from after the hellos to "
              + "after the joins (after full GC; bytes/each = per membership, all " + joined + " of them)",
              ClassHistogramDiff.diff(histogramsBefore.get(i), histogramsAfter.get(i), 25, joined));
        }
      }
      return new Measured(fleet.servers().size(), fleet.sessions(), welcomed, connectMs, joined, joinFailed,
          joinSeconds, join, joinErrors, joinsCounted, joinFrames, compiledDuringJoins, joinResyncs, joinRenewals,
          joinStalls, joinBusyStalls, heapPerMembership, livePerMembership, quietFanOut, churnFanOut, query,
          querySessions, merged(churnDone, "crossNode"), merged(churnDone, "sameNode"), merged(churnDone, "leave"),
          merged(churnDone, "rejoin"), mergedCounts(churnDone), corrections, resyncs, stormJoined, stormMs, watchers,
          watcherFrames, maxPerWatcherSecond, meanPerWatcherSecond, merged(storm, "join"), worstGrowth, stormPerNode,
          new Timelines.Run(kind.label(), sampler, System.currentTimeMillis()));
    }
  }

  /** The figures: ours beside bare where both measure it, the nodes' own counters ours only. */
  private static void report(ScenarioReport report, Params p, int queriedSize, Measured ours, Measured bare,
      dev.presence.load.run.StatusLog log) {
    RoomPlan plan = p.plan();
    report.figure(Figure.of("sessions held", "", ours.held(), bare.held(), Goal.atLeast(p.sessions(), "≥ "
        + String.format("%,d", p.sessions()) + " (all requested)"), "sum of /health sessions after the storm"));
    report.figure(Figure.of("connect rate (hello, no nickname)", "/s", ours.welcomed() * 1000.0 / ours.connectMs(),
        bare.welcomed() * 1000.0 / bare.connectMs(), null, null));
    report.figure(Figure.of("memberships joined", "", ours.joined(), bare.joined(), Goal.atLeast(plan.memberships(),
        "≥ " + String.format("%,d", plan.memberships()) + " (all planned)"), "joined answers; the nodes counted "
        + Fmt.num(ours.joinsCounted()) + " (presence_room_joins_total); refusals " + ours.joinErrors().encode()
        + ", bare " + bare.joinErrors().encode()));
    report.figure(Figure.of("join failures", "", ours.joinFailed(), bare.joinFailed(), null, null));
    report.figure(Figure.of("join rate (offered " + String.format("%,d", p.joinRate()) + "/s)", "/s",
        joinRate(ours), joinRate(bare), Goal.atLeast(p.joinRate() * 0.95, "≥ 95 % of the offer"),
        "joined / wall time of the join phase, slowest generator"));
    report.figure(Figure.of("join latency p50 (join → joined)", "ms", ours.join().p50(), bare.join().p50(), null,
        null));
    report.figure(Figure.of("join latency p99", "ms", ours.join().p99(), bare.join().p99(), Goal.atMost(25,
        "≤ 25 ms"), "at the offered rate above; ours over both nodes, bare in one process"));
    report.figure(Figure.oursOnly("room watch resyncs during the joins", "", ours.joinResyncs(), null,
        "presence_room_watch_resyncs_total: watchers whose socket was full or that had frames unwritten while the "
        + "node was over PRESENCE_WATCH_BUDGET_BYTES"));
    report.figure(Figure.oursOnly("lease renewal batches during the joins", "", ours.joinRenewals(), null,
        "presence_store_operations_total{operation=renew_batch}, over both nodes and every map: the periodic ones "
        + "and the re-checks"));
    report.figure(Figure.oursOnly("event loop stalls during the joins", "", ours.joinStalls(), null,
        "presence_event_loop_stalls_total: heartbeat ticks 3 s late or more"));
    report.figure(Figure.oursOnly("of which busy loops, not re-checked", "", ours.joinBusyStalls(), null,
        "cause=loop_busy: the process ran, so the leases were not re-checked at once (a standstill's three "
        + "renewal batches)"));
    report.figure(Figure.of("JIT compilers busy during the join phase, per server", "%", jitShare(ours),
        jitShare(bare), null, "jcmd PerfCounter.print java.ci.totalTime before and after the joins over the phase's "
        + "wall time, summed over a server's compiler threads (so up to 200 %): how far from warm the servers still "
        + "were (that CPU went to compiling, not joins)"));
    report.figure(Figure.of("heap per membership beyond the session, after full GC", "bytes",
        ours.heapPerMembership(), bare.heapPerMembership(), Goal.atMost(1024, "≤ 1 KB"), "(heap after joins − heap "
        + "after hellos) / memberships, summed over the servers (every copy the cluster keeps counts); includes each "
        + "membership's watch. Resolution about ±" + Fmt.num(ours.joined() <= 0 ? Double.NaN
        : HEAP_RESOLUTION_BYTES / (double) ours.joined()) + " B at this size (heap after full GC moves by up to "
        + (HEAP_RESOLUTION_BYTES >> 20) + " MiB with nothing added)"));
    report.figure(Figure.of("live objects per membership beyond the session (class histograms)", "bytes",
        ours.livePerMembership(), bare.livePerMembership(), Goal.atMost(1024, "≤ 1 KB"), "jcmd GC.class_histogram "
        + "of every server after the hellos and after the joins (each after its own full GC), bytes of every class "
        + "summed, after − before, / memberships: objects only, without the heap-used noise of G1's regions; ours' "
        + "classes that grew are listed below"));
    report.figure(Figure.of("presence frames received during the joins, per join", "", perJoin(ours), perJoin(bare),
        null, "diffs to the room's watchers and the joiner's snapshot, batched per room (50 ms windows, as "
        + "subscriptions); from the generators' counts, so exact to about a second of status lines"));
    report.figure(Figure.of("presence frames received during the joins, per second", "/s", perSecond(ours),
        perSecond(bare), null, "what the servers wrote and the generators read, on the same cores, while joining"));
    report.figure(Figure.of("fan-out frames per session per second, quiet", "/s", ours.quietFanOut(),
        bare.quietFanOut(), null, "room presence.* frames at the generators over " + p.quietSeconds()
        + " s without room changes"));
    report.figure(Figure.of("fan-out frames per session per second, " + p.churnRate() + " leave + re-join/s", "/s",
        ours.churnFanOut(), bare.churnFanOut(), null, "room presence.* frames at the generators over the hold"));
    report.figure(Figure.of("GET /rooms/{room} p50 (" + queriedSize + " members, holding)", "ms",
        percentiles(ours.query()).p50(), percentiles(bare.query()).p50(), null, null));
    report.figure(Figure.of("GET /rooms/{room} p99", "ms", percentiles(ours.query()).p99(),
        percentiles(bare.query()).p99(), Goal.atMost(20, "≤ 20 ms"), ours.query().getTotalCount() + " requests at "
        + p.queryRate() + "/s, ours alternating nodes on the admin port; members seen " + ours.querySessions()[0]
        + ".." + ours.querySessions()[1] + " (bare " + bare.querySessions()[0] + ".." + bare.querySessions()[1]
        + "); failed (no 200 within 5 s): " + ours.querySessions()[2] + ", bare " + bare.querySessions()[2]));
    report.figure(Figure.of("leave visible on the other node p50", "ms", ours.cross().p50(), bare.cross().p50(),
        null, null));
    report.figure(Figure.of("leave visible on the other node p99", "ms", ours.cross().p99(), bare.cross().p99(),
        Goal.atMost(250, "≤ 250 ms"), ours.cross().count() + " (leave, watcher) pairs: leave sent → presence.diff "
        + "at a watcher on the other node, one clock (same generator); no RST burst. Bare: a watcher connected "
        + "through the other endpoint, the same process (" + bare.cross().count() + " pairs)"));
    report.figure(Figure.of("leave visible on the same node p99", "ms", ours.same().p99(), bare.same().p99(), null,
        ours.same().count() + " pairs"));
    report.figure(Figure.of("leave answer p99 (leave → left)", "ms", ours.leave().p99(), bare.leave().p99(), null,
        null));
    report.figure(Figure.of("re-join latency p99 during churn", "ms", ours.rejoin().p99(), bare.rejoin().p99(),
        null, "churn refusals/skips " + ours.churnErrors().encode() + ", bare " + bare.churnErrors().encode()));
    report.figure(Figure.oursOnly("room view corrections during the hold", "", ours.corrections(), null,
        "presence_room_view_corrections_total: events a node missed and repaired"));
    report.figure(Figure.oursOnly("room watch resyncs during the hold", "", ours.resyncs(), null,
        "presence_room_watch_resyncs_total: watchers whose socket was full"));
    report.figure(Figure.of("storm joins into the large room", "", ours.stormJoined(), bare.stormJoined(),
        Goal.atLeast(p.stormJoins(), "≥ " + p.stormJoins()), "in " + p.stormSeconds() + " s; "
        + Fmt.num(ours.stormMs() / 1000.0) + " s to report"));
    report.figure(Figure.of("storm join latency p99", "ms", ours.stormJoin().p99(), bare.stormJoin().p99(), null,
        "p50 " + Fmt.num(ours.stormJoin().p50()) + " ms, bare " + Fmt.num(bare.stormJoin().p50()) + " ms"));
    report.figure(Figure.of("storm: most presence frames one watcher got in one second", "frames",
        ours.maxPerWatcherSecond(), bare.maxPerWatcherSecond(), Goal.atMost(10, "≤ 10"), ours.watchers()
        + " watchers (members before the storm), " + p.windowSeconds() + " one-second buckets from the storm's "
        + "start, every room's presence.* frames"));
    report.figure(Figure.of("storm: mean presence frames per watcher per second", "frames",
        ours.meanPerWatcherSecond(), bare.meanPerWatcherSecond(), null, null));
    report.figure(Figure.of("storm: live-object growth of the server that grew most", "bytes", ours.worstGrowth(),
        bare.worstGrowth(), Goal.atMost(ours.stormPerNode() * 1024 + STORM_MARGIN_BYTES, "≤ its storm memberships "
        + "× 1 KB + 1 MiB"), "class histograms (after full GC) after − before the storm, per server (tables below); "
        + "the 1 MiB margin is for objects that come and go (buffers); the bound catches per-watcher state left "
        + "behind (5,000 watchers × 1 KB = 5 MB)"));

    for (Measured m : List.of(ours, bare)) {
      String who = m == ours ? "" : " (bare)";
      report.sanity("sessions held" + who, m.held() > 0, m.held() + " sessions");
      report.sanity("memberships joined" + who, m.joined() > 0 && Double.isFinite(m.heapPerMembership()),
          m.joined() + " joined, heap/membership " + m.heapPerMembership());
      report.sanity("join latencies recorded" + who, m.join().count() > 0, m.join().count() + " joins");
      report.sanity("room queries answered" + who, m.query().getTotalCount() > 0, m.query().getTotalCount()
          + " answers");
      report.sanity("leaves seen across endpoints" + who, m.cross().count() > 0, m.cross().count() + " pairs");
      report.sanity("storm counted at the watchers" + who, m.watchers() > 0 && m.watcherFrames() > 0
          && m.stormJoined() > 0, m.watchers() + " watchers, " + m.watcherFrames() + " frames, " + m.stormJoined()
          + " joined");
    }
    report.sanity("class histograms read", Double.isFinite(ours.livePerMembership())
        && ours.livePerMembership() != 0, "live growth per membership " + ours.livePerMembership());

    List<Timelines.Run> runs = List.of(ours.timeline(), bare.timeline());
    Timelines.serverCharts(runs).forEach(report::chart);
    report.chart(Timelines.latencyChart("Room join latency per second (join → joined)", "join", log, runs));
    report.note("Bare: one process keeping the rooms in memory (load-tests bare/BareRooms: members per room, "
        + "snapshots, 50 ms diffs numbered per room, counts above the large threshold, GET /rooms/{room}), no "
        + "cluster, no store, no lease, no renewal. Its rooms must live in one process, so it runs as one server "
        + "against ours' two: what ours costs beyond it is the price of rooms that survive a node's death.");
    report.note("Frames per second are counted from the generators' status lines (one a second), so a window's "
        + "edges are exact to about a second; storm figures are exact per watcher (counted in the generator).");
  }

  private static double joinRate(Measured m) {
    return m.joinSeconds() <= 0 ? Double.NaN : m.joined() / m.joinSeconds();
  }

  private static double perJoin(Measured m) {
    return m.joined() <= 0 ? Double.NaN : m.joinFrames() / (double) m.joined();
  }

  private static double perSecond(Measured m) {
    return m.joinSeconds() <= 0 ? Double.NaN : m.joinFrames() / m.joinSeconds();
  }

  private static double jitShare(Measured m) {
    return m.compiledDuringJoins() < 0 || m.joinSeconds() <= 0 ? Double.NaN
        : 100.0 * m.compiledDuringJoins() / (m.joinSeconds() * 1000 * m.servers());
  }

  /**
   * Warm-up: sessions that are not the measured ones connect, join three of 50 rooms each and are reset, so that
   * the measured joins meet compiled code (the same reason as hold's warm-up).
   */
  private static void warmUp(ServerFleet fleet, Generators generators, List<String> endpoints, Params p)
      throws Exception {
    if (p.warmUpSessions() <= 0) {
      return;
    }
    int[] split = generators.split(p.warmUpSessions());
    Ramp.connect(fleet, generators, i -> Generators.command("connect").put("endpoints", endpoints)
        .put("count", split[i]).put("firstIndex", 1_000_000).put("nick", false).put("maxInFlight", 100));
    awaitJoins(fleet, generators, i -> Generators.command("joins").put("warmRooms", 50)
        .put("rate", p.joinRate() / (double) split.length));
    generators.all(i -> Generators.command("reset").put("count", split[i]), 30_000);
    long deadline = System.currentTimeMillis() + 60_000;
    while (fleet.sessions() > 0 && System.currentTimeMillis() < deadline) {
      Waits.sleep(200);
    }
  }

  /** @return the JIT compile time of every node, summed (ms); -1 if any could not be read */
  private static long compileMillis(ServerFleet fleet) {
    long sum = 0;
    for (var server : fleet.servers()) {
      long ms = Jcmd.compileMillis(server.pid());
      if (ms < 0) {
        return -1;
      }
      sum += ms;
    }
    return sum;
  }

  /**
   * Sends one {@code joins} per generator and waits while answers keep coming: fails when none came for
   * {@link Ramp#STALL_MS} (a node that sustains less than the offered rate only makes the phase longer).
   *
   * @return the done lines, in generator order
   */
  private static List<JsonObject> awaitJoins(ServerFleet fleet, Generators generators,
      IntFunction<JsonObject> commandFor) throws Exception {
    List<CompletableFuture<JsonObject>> futures = new ArrayList<>();
    for (int i = 0; i < generators.processes().size(); i++) {
      futures.add(generators.processes().get(i).send(commandFor.apply(i)));
    }
    long progress = -1;
    long lastProgressAt = System.currentTimeMillis();
    while (!futures.stream().allMatch(CompletableFuture::isDone)) {
      long now = generators.processes().stream().mapToLong(g -> g.lastStatus().getLong("roomAnswers", 0L)).sum();
      if (now != progress) {
        progress = now;
        lastProgressAt = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - lastProgressAt > Ramp.STALL_MS) {
        throw new IllegalStateException("joins stalled: no join answered for " + Ramp.STALL_MS / 1000 + " s at "
            + progress + " answers; sessions on the nodes: " + fleet.sessions());
      }
      Waits.sleep(500);
    }
    List<JsonObject> done = new ArrayList<>();
    for (CompletableFuture<JsonObject> future : futures) {
      JsonObject answer = future.get();
      if (answer.containsKey("error")) {
        throw new IllegalStateException("joins: " + answer.getString("error"));
      }
      done.add(answer);
    }
    return done;
  }

  /**
   * Queries the room until {@code untilMs}, alternating nodes, recording answered requests' latency.
   *
   * @return the least and most sessions it reported, and how many requests failed (no 200 within 5 s)
   */
  private static int[] queryRoom(ServerFleet fleet, String room, Params p, Histogram latency, long untilMs) {
    String path = "/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8);
    long periodNanos = 1_000_000_000L / p.queryRate();
    long start = System.nanoTime();
    int[] seen = {Integer.MAX_VALUE, Integer.MIN_VALUE, 0};
    for (long i = 0; System.currentTimeMillis() < untilMs; i++) {
      long dueNanos = start + i * periodNanos;
      long wait = (dueNanos - System.nanoTime()) / 1_000_000;
      if (wait > 0) {
        Waits.sleep(wait);
      }
      ServerProcess server = fleet.servers().get((int) (i % fleet.servers().size()));
      long t0 = System.nanoTime();
      Http.Response response = Http.get(server.adminPort(), path, 5000);
      long nanos = System.nanoTime() - t0;
      if (!response.ok()) {
        seen[2]++; // reported; a slow or refused answer is a finding, not the end of the scenario
        continue;
      }
      Histograms.recordNanos(latency, nanos);
      int sessions = new JsonObject(response.body()).getInteger("sessions", -1);
      seen[0] = Math.min(seen[0], sessions);
      seen[1] = Math.max(seen[1], sessions);
    }
    return seen;
  }

  private static Table distribution(List<JsonObject> storm) {
    Table table = Table.of("Join storm: presence frames per watcher-second (how many watcher-seconds had n frames)",
        "frames in the second", "watcher-seconds");
    java.util.TreeMap<Long, Long> counts = new java.util.TreeMap<>();
    for (JsonObject done : storm) {
      JsonArray pairs = done.getJsonArray("perWatcherSecond", new JsonArray());
      for (int i = 0; i < pairs.size(); i++) {
        JsonArray pair = pairs.getJsonArray(i);
        counts.merge(pair.getLong(0), pair.getLong(1), Long::sum);
      }
    }
    counts.forEach((frames, n) -> table.add(String.valueOf(frames), String.valueOf(n)));
    return table;
  }

  private static List<String> classHistograms(ServerFleet fleet) {
    return fleet.servers().stream().map(s -> Jcmd.classHistogramAll(s.pid())).toList();
  }

  /**
   * Per node, the smaller of two class histograms taken {@value #STEADY_GAP_MS} ms apart: what a node holds for its
   * sessions and memberships is in both, while work in flight at one instant (a room check's read of the 5,000-member
   * room: about 1.4 MB of serialized entries; a renewal batch) is in at most one. The storm's bound is 1 MiB above
   * its memberships, so one such read at the wrong moment failed it (run 20261205-075238: +1.43 MB, all byte arrays);
   * the heap per membership is read the same way.
   */
  private static List<String> steadyClassHistograms(ServerFleet fleet) {
    List<String> first = classHistograms(fleet);
    Waits.sleep(STEADY_GAP_MS);
    List<String> second = classHistograms(fleet);
    List<String> steady = new java.util.ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      steady.add(ClassHistogramDiff.totalBytes(second.get(i)) < ClassHistogramDiff.totalBytes(first.get(i))
          ? second.get(i) : first.get(i));
    }
    return steady;
  }

  /** Between the two histograms of {@link #steadyClassHistograms}: longer than a room check's read, ms. */
  private static final long STEADY_GAP_MS = 3_000;


  private static long frames(Generators generators) {
    return generators.processes().stream().mapToLong(g -> g.lastStatus().getLong("presenceFrames", 0L)).sum();
  }

  private static long sum(List<JsonObject> done, String field) {
    return done.stream().mapToLong(d -> d.getLong(field, 0L)).sum();
  }

  private static Percentiles merged(List<JsonObject> done, String field) {
    Histogram sum = Histograms.newMicros();
    done.forEach(d -> sum.add(Histograms.decode(d.getString(field))));
    return Percentiles.ofMicros(sum);
  }

  private static Percentiles percentiles(Histogram histogram) {
    return Percentiles.ofMicros(histogram);
  }

  private static JsonObject mergedCounts(List<JsonObject> done) {
    JsonObject sum = new JsonObject();
    Function<JsonObject, JsonObject> errors = d -> d.getJsonObject("errors", new JsonObject());
    for (JsonObject d : done) {
      errors.apply(d).forEach(e -> sum.put(e.getKey(), sum.getLong(e.getKey(), 0L) + ((Number) e.getValue())
          .longValue()));
    }
    return sum;
  }
}
