package dev.presence.testing;

import dev.presence.PresenceNode;
import dev.presence.config.ActivitySettings;
import dev.presence.config.AdminSettings;
import dev.presence.config.AuthSettings;
import dev.presence.config.ClusterSettings;
import dev.presence.config.LimitSettings;
import dev.presence.config.PresenceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Several presence nodes in this JVM, each a real clustered Vert.x instance on its own Hazelcast member,
 * joined over TCP-IP on 127.0.0.1 under a cluster name no other test uses. Records every exception that
 * reaches a node's Vert.x exception handler. Call from the test thread (blocks).
 */
public final class TestCluster implements AutoCloseable {

  private final List<PresenceNode> nodes = new ArrayList<>();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final String clusterName = "test-" + UUID.randomUUID();

  /** Test timings: everything shrunk so faults are crossed in seconds, not minutes. */
  public record Timings(long heartbeatMs, long timeoutMs, long graceMs, long helloMs) {
    /** The production defaults (10 s ping, 30 s timeout, 60 s grace, 5 s hello). */
    public static final Timings DEFAULTS = new Timings(10_000, 30_000, 60_000, 5_000);
  }

  /**
   * Starts {@code count} nodes and waits until each sees all of them.
   *
   * @param count   nodes
   * @param timings heartbeat interval, timeout, nickname grace, hello timeout (ms)
   * @return the running cluster
   */
  public static TestCluster start(int count, Timings timings) {
    return start(count, timings, 1_000);
  }

  /**
   * As {@link #start(int, Timings)}, with another {@code who} limit.
   *
   * @param whoLimit most sessions one {@code who} answer lists
   * @return the running cluster
   */
  public static TestCluster start(int count, Timings timings, int whoLimit) {
    return start(count, timings, whoLimit, UnaryOperator.identity());
  }

  /**
   * As {@link #start(int, Timings)}, each node's settings passed through {@code customize} (e.g. tokens
   * required, tight limits: {@code c -> c.with(Tokens.settings(), c.limits())}).
   *
   * @return the running cluster
   */
  public static TestCluster start(int count, Timings timings, UnaryOperator<PresenceConfig> customize) {
    return start(count, timings, 1_000, customize);
  }

  private static TestCluster start(int count, Timings timings, int whoLimit, UnaryOperator<PresenceConfig> customize) {
    TestCluster cluster = new TestCluster();
    List<Integer> hzPorts = IntStream.range(0, count).mapToObj(i -> FreePorts.next()).toList();
    String members = hzPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    try {
      for (int i = 0; i < count; i++) {
        PresenceConfig config = customize.apply(config(cluster.clusterName, FreePorts.next(), hzPorts.get(i),
            members, timings, whoLimit));
        PresenceNode node = PresenceNode.start(config).toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        node.runtime().vertx().exceptionHandler(cluster.uncaught::add);
        cluster.nodes.add(node);
      }
      org.awaitility.Awaitility.await("cluster of " + count).atMost(java.time.Duration.ofSeconds(30))
          .until(() -> cluster.nodes.stream().allMatch(n -> n.runtime().clusterSize() == count));
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw new IllegalStateException("cluster did not start", e);
    }
  }

  /**
   * The settings of one test node.
   *
   * @return a validated config on 127.0.0.1 with two verticle instances
   */
  public static PresenceConfig config(String clusterName, int httpPort, int hzPort, String members,
      Timings timings) {
    return config(clusterName, httpPort, hzPort, members, timings, 1_000);
  }

  private static PresenceConfig config(String clusterName, int httpPort, int hzPort, String members,
      Timings timings, int whoLimit) {
    return new PresenceConfig("127.0.0.1", httpPort, timings.heartbeatMs(), timings.timeoutMs(),
        timings.graceMs(), timings.helloMs(), 4_096, whoLimit, 2, 20_000,
        ClusterSettings.local(clusterName, hzPort, members), AuthSettings.none(), GENEROUS_LIMITS,
        ActivitySettings.defaults()).with(ADMIN);
  }

  /**
   * The admin listener of test nodes: 127.0.0.1, a free port (the node reports it: {@link #adminPort}), and the key
   * {@link PresenceHttp#API_KEY}, so every read goes through the credential check as in production.
   */
  public static final AdminSettings ADMIN = new AdminSettings("127.0.0.1", 0, List.of(PresenceHttp.API_KEY));

  /**
   * A local-mode node of a cluster meant to have {@code clusterSize} members: nickname changes need a
   * majority of them (split-brain protection).
   *
   * @return a validated config on 127.0.0.1
   */
  public static PresenceConfig config(String clusterName, int httpPort, int hzPort, String members,
      Timings timings, int whoLimit, int clusterSize) {
    ClusterSettings local = ClusterSettings.local(clusterName, hzPort, members);
    return new PresenceConfig("127.0.0.1", httpPort, timings.heartbeatMs(), timings.timeoutMs(),
        timings.graceMs(), timings.helloMs(), 4_096, whoLimit, 2, 20_000,
        new ClusterSettings(local.mode(), clusterSize, local.name(), local.hazelcastPort(), local.members(),
            null, local.host(), 0, local.kubernetesDiscovery(), null, null, null),
        AuthSettings.none(), GENEROUS_LIMITS,
        ActivitySettings.defaults()).with(ADMIN);
  }

  /**
   * Limits far above what any test other than a limit test reaches (many sessions from 127.0.0.1, floods of
   * requests in fault scenarios); the limit tests set their own.
   */
  public static final LimitSettings GENEROUS_LIMITS = new LimitSettings(50_000, 10_000, 10_000, 10_000, 10_000)
      .withQueryBudget(10_000, 10_000).withMaxGraceLeasesPerUser(10_000);

  /** @return the env vars that give a node process the same settings */
  public static Map<String, String> env(PresenceConfig c) {
    return Map.ofEntries(
        Map.entry("PRESENCE_HTTP_HOST", c.httpHost()),
        Map.entry("PRESENCE_HTTP_PORT", String.valueOf(c.httpPort())),
        Map.entry("PRESENCE_HEARTBEAT_INTERVAL_MS", String.valueOf(c.heartbeatIntervalMs())),
        Map.entry("PRESENCE_HEARTBEAT_TIMEOUT_MS", String.valueOf(c.heartbeatTimeoutMs())),
        Map.entry("PRESENCE_NICK_GRACE_MS", String.valueOf(c.nickGraceMs())),
        Map.entry("PRESENCE_HELLO_TIMEOUT_MS", String.valueOf(c.helloTimeoutMs())),
        Map.entry("PRESENCE_VERTICLE_INSTANCES", String.valueOf(c.verticleInstances())),
        Map.entry("PRESENCE_DRAIN_TIMEOUT_MS", String.valueOf(c.drainTimeoutMs())),
        Map.entry("PRESENCE_CLUSTER_MODE", c.cluster().mode().name().toLowerCase(java.util.Locale.ROOT)),
        Map.entry("PRESENCE_CLUSTER_SIZE", String.valueOf(c.cluster().expectedSize())),
        Map.entry("PRESENCE_CLUSTER_NAME", c.cluster().name()),
        Map.entry("PRESENCE_HZ_PORT", String.valueOf(c.cluster().hazelcastPort())),
        Map.entry("PRESENCE_HZ_MEMBERS", c.cluster().members()),
        Map.entry("PRESENCE_CLUSTER_HOST", c.cluster().host()),
        Map.entry("PRESENCE_AUTH", c.auth().mode().name().toLowerCase(java.util.Locale.ROOT)),
        Map.entry("PRESENCE_MAX_CONNECTIONS_PER_IP", String.valueOf(c.limits().maxConnectionsPerIp())),
        Map.entry("PRESENCE_MAX_SESSIONS_PER_USER", String.valueOf(c.limits().maxSessionsPerUser())),
        Map.entry("PRESENCE_MESSAGE_RATE", String.valueOf(c.limits().messagesPerSecond())),
        Map.entry("PRESENCE_MESSAGE_BURST", String.valueOf(c.limits().messageBurst())),
        Map.entry("PRESENCE_RATE_LIMITED_BEFORE_CLOSE", String.valueOf(c.limits().rateLimitedBeforeClose())),
        Map.entry("PRESENCE_SUBSCRIBER_QUEUE", String.valueOf(c.limits().subscriberQueue())),
        Map.entry("PRESENCE_QUERY_RATE", String.valueOf(c.limits().queriesPerSecond())),
        Map.entry("PRESENCE_QUERY_BURST", String.valueOf(c.limits().queryBurst())),
        Map.entry("PRESENCE_STATUS_MIN_INTERVAL_MS", String.valueOf(c.limits().statusMinIntervalMs())),
        Map.entry("PRESENCE_MAX_GRACE_LEASES_PER_USER", String.valueOf(c.limits().maxGraceLeasesPerUser())),
        Map.entry("PRESENCE_RESUME_TOKEN_TTL_MS", String.valueOf(c.resumeTokenTtlMs())),
        Map.entry("PRESENCE_ADMIN_HOST", c.admin().host()),
        Map.entry("PRESENCE_ADMIN_PORT", String.valueOf(c.admin().port())),
        Map.entry("PRESENCE_API_KEYS", String.join(",", c.admin().apiKeys())));
  }

  /** @return the cluster name shared by these nodes */
  public String clusterName() {
    return clusterName;
  }

  /** @return node {@code i} */
  public PresenceNode node(int i) {
    return nodes.get(i);
  }

  /** @return the HTTP port of node {@code i}: its public listener ({@code /ws}, {@code /eventbus}, the dashboard) */
  public int port(int i) {
    return nodes.get(i).config().httpPort();
  }

  /** @return the admin port of node {@code i}: health, metrics and the read API ({@link PresenceHttp}) */
  public int adminPort(int i) {
    return nodes.get(i).adminPort();
  }

  /** @return exceptions that reached a node's Vert.x exception handler (must stay empty) */
  public List<Throwable> uncaught() {
    return uncaught;
  }

  @Override
  public void close() {
    for (PresenceNode node : nodes) {
      try {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A node killed by the test cannot stop cleanly; the others still must.
      }
    }
    nodes.clear();
  }
}
