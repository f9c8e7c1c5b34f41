package dev.presence.load.run;

import dev.presence.load.generator.AccessTokens;
import dev.presence.load.stats.BucketHistogram;
import dev.presence.load.stats.GcPauses;
import dev.presence.load.stats.Histograms;
import dev.presence.load.stats.PrometheusText;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The servers of one measurement: {@code n} nodes of ours forming one Hazelcast cluster under a name no
 * other run uses, or {@code n} independent bare servers. Started with the same JVM flags either way.
 * Scenario thread only (its servers are thread-safe).
 */
public final class ServerFleet implements AutoCloseable {

  /** The node's default heartbeat interval (PRESENCE_HEARTBEAT_INTERVAL_MS), ms. */
  public static final long DEFAULT_HEARTBEAT_MS = 10_000;

  private final ServerKind kind;
  private final List<ServerProcess> servers;

  private final List<Path> gcLogs;

  private ServerFleet(ServerKind kind, List<ServerProcess> servers, List<Path> gcLogs) {
    this.kind = kind;
    this.servers = List.copyOf(servers);
    this.gcLogs = List.copyOf(gcLogs);
  }

  /**
   * Starts the fleet and waits until every server answers (ours: every node sees all {@code n} members).
   *
   * @param run   the run (jars, flags, log directory)
   * @param kind  ours or bare
   * @param n     how many servers
   * @param label a name for the cluster and the log files ("hold")
   * @param heartbeatMs server ping interval, ms (10,000 is the node's default; smoke runs shorten it so
   *              that a few seconds see heartbeats; the timeout is then 3 × the interval)
   * @return the ready fleet
   * @throws IllegalStateException with the log's tail if a server does not come up within 120 s
   */
  public static ServerFleet start(RunContext run, ServerKind kind, int n, String label, long heartbeatMs) {
    return start(run, kind, n, label, heartbeatMs, null);
  }

  /**
   * As {@link #start(RunContext, ServerKind, int, String, long)}, every server speaking TLS with {@code tls}
   * (ours through {@code PRESENCE_TLS_*}, bare with the same protocol settings), or plain when it is null.
   *
   * @return the ready fleet
   */
  public static ServerFleet start(RunContext run, ServerKind kind, int n, String label, long heartbeatMs,
      LoadTls tls) {
    return start(run, kind, n, label, heartbeatMs, tls, Map.of());
  }

  /**
   * As {@link #start(RunContext, ServerKind, int, String, long, LoadTls)}, with {@code nodeEnvironment} added to
   * our nodes' environment last (a scenario's own settings, e.g. {@code PRESENCE_ROOM_LARGE} scaled down for a
   * smoke run); the bare servers take only {@code PRESENCE_ROOM_LARGE} from it ({@code --room-large}).
   *
   * @return the ready fleet
   */
  public static ServerFleet start(RunContext run, ServerKind kind, int n, String label, long heartbeatMs,
      LoadTls tls, Map<String, String> nodeEnvironment) {
    List<ServerProcess> servers = new ArrayList<>();
    int[] httpPorts = new int[n];
    int[] hzPorts = new int[n];
    int[] adminPorts = new int[n];
    for (int i = 0; i < n; i++) {
      httpPorts[i] = Ports.next();
      hzPorts[i] = Ports.next();
      // Several nodes on one machine: each its own admin port (health, metrics, read API); the bare server has none.
      adminPorts[i] = kind == ServerKind.OURS ? Ports.next() : httpPorts[i];
    }
    String members = java.util.Arrays.stream(hzPorts).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
    String clusterName = "load-" + run.runId() + "-" + label;
    for (int i = 0; i < n; i++) {
      String name = (kind == ServerKind.OURS ? "node-" : "bare-") + (i + 1);
      Path log = run.logDir().resolve(label + "-" + name + ".log");
      List<String> command = new ArrayList<>(run.serverCommandPrefix());
      // One line per GC pause, for both fleets alike: tail latencies are often pauses.
      command.add("-Xlog:gc:file=" + gcLog(run, label, name));
      // Evidence of what filled the heap, beside the logs (written before the exit of SERVER_JVM_FLAGS).
      command.add("-XX:+HeapDumpOnOutOfMemoryError");
      command.add("-XX:HeapDumpPath=" + run.logDir().resolve(label + "-" + name + ".hprof"));
      Map<String, String> env = new LinkedHashMap<>();
      if (kind == ServerKind.OURS) {
        command.addAll(profilingFlags(name));
        command.addAll(List.of("-jar", run.nodeJar().toString()));
        env.put("PRESENCE_HTTP_HOST", "127.0.0.1");
        env.put("PRESENCE_HTTP_PORT", String.valueOf(httpPorts[i]));
        env.put("PRESENCE_ADMIN_HOST", "127.0.0.1");
        env.put("PRESENCE_ADMIN_PORT", String.valueOf(adminPorts[i]));
        env.put("PRESENCE_API_KEYS", Http.API_KEY);
        env.put("PRESENCE_CLUSTER_MODE", "local");
        env.put("PRESENCE_CLUSTER_HOST", "127.0.0.1");
        env.put("PRESENCE_HZ_PORT", String.valueOf(hzPorts[i]));
        env.put("PRESENCE_HZ_MEMBERS", members);
        env.put("PRESENCE_CLUSTER_NAME", clusterName);
        env.put("PRESENCE_CLUSTER_SIZE", String.valueOf(n));
        // By default the generators say who they are in hello.user (development mode, as the bare server has no
        // auth); with LOAD_JWT_SECRET set they send signed tokens and the nodes check them. Either way they hold up
        // to 19,000 connections from 127.0.0.1 with floods of requests: limits far above the load.
        String secret = AccessTokens.secret();
        if (secret == null) {
          env.put("PRESENCE_AUTH", "none");
        } else {
          env.put("PRESENCE_AUTH", "jwt");
          env.put("PRESENCE_JWT_SECRET", secret);
          env.put("PRESENCE_JWT_ISSUER", AccessTokens.ISSUER);
          env.put("PRESENCE_JWT_AUDIENCE", AccessTokens.AUDIENCE);
        }
        env.put("PRESENCE_MAX_CONNECTIONS_PER_IP", "100000");
        env.put("PRESENCE_MAX_SESSIONS_PER_USER", "100000");
        env.put("PRESENCE_MESSAGE_RATE", "100000");
        env.put("PRESENCE_MESSAGE_BURST", "100000");
        if (heartbeatMs != DEFAULT_HEARTBEAT_MS) {
          env.put("PRESENCE_HEARTBEAT_INTERVAL_MS", String.valueOf(heartbeatMs));
          env.put("PRESENCE_HEARTBEAT_TIMEOUT_MS", String.valueOf(3 * heartbeatMs));
        }
        if (tls != null) {
          env.putAll(tls.nodeEnvironment());
        }
        env.putAll(nodeEnvironment);
      } else {
        command.addAll(List.of("-cp", run.loadJar().toString(), "dev.presence.load.Main", "bare", "--port",
            String.valueOf(httpPorts[i]), "--heartbeat-ms", String.valueOf(heartbeatMs)));
        if (tls != null) {
          command.addAll(tls.bareArguments());
        }
        // The one node setting the bare rooms share: where a room's watchers go to counts.
        String roomLarge = nodeEnvironment.get("PRESENCE_ROOM_LARGE");
        if (roomLarge != null) {
          command.addAll(List.of("--room-large", roomLarge));
        }
      }
      servers.add(new ServerProcess(name, kind, httpPorts[i], adminPorts[i],
          ManagedProcess.start(name, command, env, log, false),
          tls));
    }
    List<Path> gcLogs = servers.stream().map(s -> gcLog(run, label, s.name())).toList();
    ServerFleet fleet = new ServerFleet(kind, servers, gcLogs);
    fleet.awaitReady(n, 120_000);
    return fleet;
  }

  /**
   * Extra JVM flags for our nodes only, from the environment variable {@code LOAD_PROFILE_NODE_FLAGS}
   * (space-separated; {@code {node}} becomes the node's name), to attach a profiler (JFR, async-profiler) to
   * a run. Figures of such a run are not comparable with the bare server's: use it to find out why, not how much.
   */
  private static List<String> profilingFlags(String name) {
    String flags = System.getenv().getOrDefault("LOAD_PROFILE_NODE_FLAGS", "").trim();
    return flags.isEmpty() ? List.of() : List.of(flags.replace("{node}", name).split("\\s+"));
  }

  /** @return where a server's GC log goes */
  static Path gcLog(RunContext run, String label, String name) {
    return run.logDir().resolve(label + "-" + name + "-gc.log");
  }

  /** @return each server's GC log, in server order */
  public List<Path> gcLogs() {
    return gcLogs;
  }

  /**
   * @param fromMs window start, epoch ms
   * @param toMs   window end, epoch ms
   * @return the GC pauses of every server in the window (JVM uptime ≈ time since the process started, to
   *     within the JVM's start-up, about 0.1 s)
   */
  public GcPauses gcPauses(long fromMs, long toMs) {
    GcPauses sum = new GcPauses(0, 0, Double.NaN);
    for (int i = 0; i < servers.size(); i++) {
      long started = servers.get(i).process().startedAtMs();
      sum = sum.plus(GcPauses.ofFile(gcLogs.get(i), (fromMs - started) / 1000.0, (toMs - started) / 1000.0));
    }
    return sum;
  }

  private void awaitReady(int n, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    for (ServerProcess server : servers) {
      while (true) {
        if (!server.process().isAlive()) {
          throw new IllegalStateException(server.name() + " exited at start; log:\n" + server.process().logTail(40));
        }
        JsonObject health = server.health();
        boolean ready = health != null && "UP".equals(health.getString("status"))
            && (kind == ServerKind.BARE || health.getInteger("clusterSize", 0) == n);
        if (ready) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(server.name() + " not ready after " + timeoutMs + " ms (last health "
              + health + "); log:\n" + server.process().logTail(40));
        }
        Waits.sleep(250);
      }
    }
  }

  /** @return ours or bare */
  public ServerKind kind() {
    return kind;
  }

  /** @return the servers, in start order */
  public List<ServerProcess> servers() {
    return servers;
  }

  /** @return every server's WebSocket endpoint, "127.0.0.1:port" */
  public List<String> endpoints() {
    return servers.stream().map(ServerProcess::endpoint).toList();
  }

  /** @return sessions summed over the servers that answer */
  public int sessions() {
    return servers.stream().mapToInt(ServerProcess::sessions).filter(s -> s >= 0).sum();
  }

  /** @return the fleet's cumulative heartbeat round trips now */
  public HeartbeatRtt heartbeatRtt() {
    if (kind == ServerKind.OURS) {
      List<PrometheusText.Sample> all = new ArrayList<>();
      servers.forEach(s -> all.addAll(s.scrape()));
      return new HeartbeatRtt.Buckets(BucketHistogram.of(all, "presence_heartbeat_rtt_seconds"));
    }
    Histogram sum = Histograms.newMicros();
    for (ServerProcess server : servers) {
      JsonObject stats = server.health();
      if (stats != null && stats.getString("heartbeatRtt") != null) {
        sum.add(Histograms.decode(stats.getString("heartbeatRtt")));
      }
    }
    return new HeartbeatRtt.Exact(sum);
  }

  /**
   * @param name   a metric of our node, e.g. {@code presence_store_operations_total}
   * @param labels labels to match
   * @return the sum over the fleet's scrapes, NaN if no node exports it (or for the bare fleet)
   */
  public double metricSum(String name, Map<String, String> labels) {
    double sum = Double.NaN;
    for (ServerProcess server : servers) {
      double value = PrometheusText.sum(server.scrape(), name, labels);
      if (!Double.isNaN(value)) {
        sum = Double.isNaN(sum) ? value : sum + value;
      }
    }
    return sum;
  }

  /** Stops every server still running: SIGTERM (our nodes drain), then SIGKILL after 15 s. */
  @Override
  public void close() {
    servers.forEach(s -> s.process().signalTerm());
    servers.forEach(s -> s.process().awaitExitOrKill(15_000));
  }
}
