package dev.presence;

import dev.presence.admin.AdminVerticle;
import dev.presence.api.PresenceApiVerticle;
import dev.presence.auth.Authenticator;
import dev.presence.auth.VerificationKeys;
import dev.presence.cluster.ClusterNames;
import dev.presence.cluster.ClusterRuntime;
import dev.presence.config.PresenceConfig;
import dev.presence.health.NodeHealth;
import dev.presence.metrics.NodeMetrics;
import dev.presence.presence.PresenceMaintenanceVerticle;
import dev.presence.presence.PresenceService;
import dev.presence.presence.RoomRecount;
import dev.presence.presence.StaleSessionSweeper;
import dev.presence.session.ConnectionsPerIp;
import dev.presence.session.ResumeTokens;
import dev.presence.tls.CertificatePair;
import dev.presence.tls.CertificateReloadVerticle;
import dev.presence.tls.ListenerTls;
import dev.presence.transport.ClusterView;
import dev.presence.transport.NodeServices;
import dev.presence.transport.PresenceWebSocketVerticle;
import dev.presence.transport.RoomWatchHost;
import dev.presence.transport.WatchBudget;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One presence node, wired: clustered Vert.x on Hazelcast, the presence service, the WebSocket verticles
 * (one per configured instance), and the maintenance verticle fed by member-loss events. {@link Main}
 * starts one; tests start several in one JVM.
 */
public final class PresenceNode {

  /**
   * Time between two recounts of room occupancy counters (ms). A drifted count is corrected after two runs agree,
   * so within 2 minutes; each run costs one indexed read per occupied room on one node.
   */
  static final long ROOM_RECOUNT_PERIOD_MS = 60_000;

  private final ClusterRuntime runtime;
  private final PresenceConfig config;
  private final AtomicInteger sessions;

  private final NodeHealth health;
  private final String webSocketDeployment;
  private final int adminPort;

  private PresenceNode(ClusterRuntime runtime, PresenceConfig config, AtomicInteger sessions, NodeHealth health,
      String webSocketDeployment, int adminPort) {
    this.runtime = runtime;
    this.config = config;
    this.sessions = sessions;
    this.health = health;
    this.webSocketDeployment = webSocketDeployment;
    this.adminPort = adminPort;
  }

  /**
   * Starts a node. Call from a non-Vert.x thread.
   *
   * @param config validated settings
   * @return the node once it listens on its HTTP port; failed, naming the setting, if the token keys or the TLS
   *     pair cannot be loaded (then the node never joined its cluster)
   */
  public static Future<PresenceNode> start(PresenceConfig config) {
    AtomicInteger sessions = new AtomicInteger();
    NodeMetrics metrics = new NodeMetrics(sessions);
    ListenerTls tls;
    try {
      // On the caller's (non-Vert.x) thread, like the token keys below: a few kilobytes read once.
      tls = config.tls().enabled() ? ListenerTls.serving(CertificatePair.read(config.tls())) : ListenerTls.plain();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // The token keys first: a node that cannot load them (key set unreachable, PEM unreadable) fails here, before
    // its member joins the cluster, rather than joining only to leave and make Hazelcast move partitions twice.
    return VerificationKeys.load(config.auth()).compose(keys -> ClusterRuntime.start(config, metrics)
        .compose(runtime -> deploy(runtime, config, sessions, metrics, keys, tls)));
  }

  private static Future<PresenceNode> deploy(ClusterRuntime runtime, PresenceConfig config,
      AtomicInteger sessions, NodeMetrics metrics, VerificationKeys keys, ListenerTls tls) {
    Vertx vertx = runtime.vertx();
    InstantSource clock = InstantSource.system();
    PresenceService service = new PresenceService(runtime.stores(), config.limits().maxSessionsPerUser(),
        runtime.channel(), clock, runtime.nodeId(), config.leaseTtlMs(), config.nickGraceMs(),
        config.limits().maxGraceLeasesPerUser(), config.activity().lastSeenTtlMs(), metrics,
        config.rooms().maxMembers(), config.rooms().maxRoomsPerSession());
    StaleSessionSweeper sweeper = new StaleSessionSweeper(runtime.presenceStore(), service.ends(), clock,
        config.staleAfterMs(), runtime.nodeId());
    int quorum = config.cluster().nicknameQuorum();
    metrics.roomsOccupied(runtime::ownedOccupiedRooms);
    RoomRecount roomRecount = new RoomRecount(runtime.stores(), runtime.channel(), clock, runtime.nodeId());
    // One node recounts: the data member with the smallest node id (every node sorts the same list).
    PresenceMaintenanceVerticle maintenance = new PresenceMaintenanceVerticle(sweeper,
        config.staleSweepPeriodMs(), () -> runtime.clusterSize() >= quorum, clock, roomRecount,
        ROOM_RECOUNT_PERIOD_MS, () -> runtime.memberDirectory().dataNodes().stream().findFirst()
            .map(runtime.nodeId()::equals).orElse(false));
    ClusterView view = new ClusterView() {
      @Override
      public String node() {
        return runtime.nodeId();
      }

      @Override
      public int clusterSize() {
        return runtime.clusterSize();
      }
    };
    NodeHealth health = new NodeHealth(vertx, runtime::clusterSize);
    WatchBudget watchBudget = new WatchBudget(config.limits().watchBudgetBytes());
    metrics.watchQueuedBytes(watchBudget::queuedBytes);
    NodeServices services = new NodeServices(service, runtime.presenceStore(), runtime.nicknameStore(), config,
        sessions, view, health, metrics, clock,
        Authenticator.create(vertx, config.auth(), keys, config.admin().apiKeys(), runtime.revocationStore(), clock),
        new ConnectionsPerIp(config.limits().maxConnectionsPerIp()),
        Optional.ofNullable(config.auth().resumeKey())
            .map(key -> new ResumeTokens(key, config.resumeTokenTtlMs())),
        watchBudget);
    AdminVerticle admin = new AdminVerticle(services);
    RoomWatchHost roomWatches = new RoomWatchHost(services);
    String[] webSockets = new String[1];
    return vertx.deployVerticle(maintenance)
        .compose(id -> {
          // The watcher hands member removals to the maintenance verticle's own event loop.
          runtime.membership().start(maintenance.owningContext(), maintenance::onMemberLost,
              () -> vertx.eventBus().publish(ClusterNames.LOCAL_LEASE_RECHECK_ADDRESS, null,
                  new DeliveryOptions().setLocalOnly(true)),
              () -> vertx.eventBus().publish(ClusterNames.LOCAL_MEMBER_JOINED_ADDRESS, null,
                  new DeliveryOptions().setLocalOnly(true)));
          // On a worker context (its tasks run one at a time, in order): a tick over every watched room must not
          // stall an event loop that also serves connections or the read API.
          return vertx.deployVerticle(roomWatches, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
        })
        // Room watches first: every connection of the node hands its room watches to that one host.
        .compose(id -> vertx.deployVerticle(() -> new PresenceWebSocketVerticle(services, tls, roomWatches),
            new DeploymentOptions().setInstances(config.verticleInstances())))
        .compose(id -> {
          webSockets[0] = id;
          // After the listeners: a reload announced before they listen would reach no consumer.
          return tls.enabled() ? vertx.deployVerticle(new CertificateReloadVerticle(config.tls(), tls))
              : Future.succeededFuture(id);
        })
        // One instance per node: the event bus spreads requests over the nodes, and one loop answers plenty.
        .compose(id -> vertx.deployVerticle(new PresenceApiVerticle(runtime.presenceStore(), runtime.nicknameStore(),
            runtime.memberDirectory(), services.auth(), clock, service, runtime.revocationStore(), metrics,
            config.auth().maxRevocationMs())))
        .compose(id -> vertx.deployVerticle(admin))
        .map(id -> new PresenceNode(runtime, config, sessions, health, webSockets[0], admin.port()));
  }

  /** @return the settings this node runs with */
  public PresenceConfig config() {
    return config;
  }

  /** @return the admin listener's port (the bound one when {@code PRESENCE_ADMIN_PORT} is 0) */
  public int adminPort() {
    return adminPort;
  }

  /** @return this node's id */
  public String nodeId() {
    return runtime.nodeId();
  }

  /** @return sessions currently held by this node's verticles (thread-safe read) */
  public int localSessions() {
    return sessions.get();
  }

  /** @return the clustered runtime (for tests and the shutdown hook) */
  public ClusterRuntime runtime() {
    return runtime;
  }

  /**
   * Drains and stops the node: readiness turns false and new WebSocket upgrades are refused (503) at
   * once; every session is closed with 1001 and cleaned up (its nickname enters grace for its own user,
   * its presence entry is removed with leave reason {@code shutdown}); then the member leaves the cluster
   * gracefully (Hazelcast migrates its partitions first). Callers bound it with the drain timeout.
   *
   * <p>The WebSocket verticles are undeployed first and everything else after: Vert.x closes all deployments at
   * once, and the admin listener must keep answering {@code /health/ready} with 503 while sessions close, not
   * vanish before them.
   *
   * @return completes when Vert.x and Hazelcast are closed
   */
  public Future<Void> stop() {
    health.startDraining();
    runtime.membership().stop();
    Vertx vertx = runtime.vertx();
    // Closed from a pool thread, not from the undeploy's callback: Vert.x cannot close itself from one of its
    // own event loops while that loop's deployment is being torn down (the close never completed).
    return Future.fromCompletionStage(vertx.undeploy(webSocketDeployment).toCompletionStage()
        .handle((done, failure) -> vertx)
        .thenComposeAsync(v -> v.close().toCompletionStage()));
  }

  /** @return the node's health (readiness, draining) */
  public NodeHealth health() {
    return health;
  }
}
