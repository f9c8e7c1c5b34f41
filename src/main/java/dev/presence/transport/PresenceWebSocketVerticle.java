package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import dev.presence.config.PresenceConfig;
import dev.presence.health.ProcessPauses;
import dev.presence.presence.EvictionRequest;
import dev.presence.presence.LoopStall;
import dev.presence.presence.PauseDetector;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.LeaveReason;
import dev.presence.session.SessionRegistry;
import dev.presence.tls.ListenerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a share of the node's WebSocket connections on one event loop: routes {@code /ws} through
 * {@link UpgradeAdmission} (Vert.x spreads connections over the instances listening on the same port), serves the
 * SockJS bridge and the dashboard's files (and nothing else: health, metrics and the read API are on the admin
 * listener), runs the heartbeat check and the batched {@link LeaseRenewal} on timers, and acts on eviction requests
 * (and kicks from rooms) for its own sessions. One instance per event loop; each has its own {@link SessionRegistry} and {@link SubscriptionHub}
 * (one {@code presence.events} consumer for its subscribed connections), never shared.
 *
 * <p>Threading: every handler here runs on this instance's event loop.
 */
public final class PresenceWebSocketVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceWebSocketVerticle.class);

  private final NodeServices node;
  private final ListenerTls tls;
  private final RoomWatchHost roomWatches;

  // Event-loop confined.
  private SessionRegistry<ClientConnection> registry;
  private HttpServer server;
  private MessageConsumer<Object> evictions;
  private long heartbeatTimer = -1;
  private long renewalTimer = -1;
  private PauseDetector pauses;
  private ProcessPauses processPauses;
  private LeaseRenewal renewal;
  private MessageConsumer<Object> rechecks;
  private SubscriptionHub subscriptions;
  private MessageConsumer<Object> tlsReloads;

  /**
   * @param node        the node-wide services this instance shares with the others
   * @param tls         TLS on the listener (shared by every instance), or {@link ListenerTls#plain()}
   * @param roomWatches the node's room watches, deployed before the instances
   */
  public PresenceWebSocketVerticle(NodeServices node, ListenerTls tls, RoomWatchHost roomWatches) {
    this.node = node;
    this.tls = tls;
    this.roomWatches = roomWatches;
  }

  @Override
  public Future<?> start() {
    PresenceConfig config = node.config();
    registry = new SessionRegistry<>(node.sessions());
    node.health().watchEventLoop(context);
    subscriptions = new SubscriptionHub(vertx, node.presenceStore(), node.clock(), config.whoLimit(),
        config.limits().subscriberQueue(), node.metrics(), node.watchBudget());
    // Several check periods without a tick is a pause; never more than the default (3 s), and short enough that
    // a pause is noticed before the heartbeat timeout ends (tests shrink both).
    pauses = new PauseDetector(Math.min(PauseDetector.RESUME_GAP_MS, 4 * config.heartbeatCheckPeriodMs()));
    processPauses = ProcessPauses.shared(); // started now: it sees only the standstills that begin after its start
    SessionEnvironment env = new SessionEnvironment(vertx, node,
        new HeartbeatPolicy(config.heartbeatIntervalMs(), config.heartbeatTimeoutMs()), registry, subscriptions,
        roomWatches, pauses);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxWebSocketFrameSize(PresenceConfig.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(config.maxMessageBytes())
        // permessage-deflate has no cap on the inflated size in Vert.x: off.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    ListenerOptions.apply(options, config.listener());
    tls.configure(options);
    // Upgrades go through the router (no server-level WebSocket handler), so that /ws and the SockJS
    // bridge's /eventbus/websocket can both accept them; any other path answers 404. Nothing else is served here:
    // whoever reaches /ws must not reach the read API, health or metrics (the admin listener's; docs/security.md).
    Router router = Router.router(vertx);
    UpgradeAdmission admission = new UpgradeAdmission(node);
    router.get(HttpPaths.WEBSOCKET).handler(admission::checkOrigin).handler(ctx -> admission.upgrade(ctx,
        (ws, bearer, client, onSocketClosed) ->
            new ClientConnection(ws, env, bearer, client, onSocketClosed).start()));
    router.route(HttpPaths.EVENT_BUS_BRIDGE + "/*").handler(admission::checkOrigin)
        .handler(admission::refuseWhileDraining).subRouter(EventBusBridge.router(vertx, node, admission));
    router.route("/*").subRouter(Dashboard.router(vertx)); // last: only what no route above answered
    server = vertx.createHttpServer(options).requestHandler(router);
    evictions = vertx.eventBus().consumer(ClusterNames.EVICT_ADDRESS, message -> onEvictionRequest(message.body()));
    renewal = new LeaseRenewal(vertx, node, registry);
    rechecks = vertx.eventBus().localConsumer(ClusterNames.LOCAL_LEASE_RECHECK_ADDRESS,
        message -> renewal.recheckNow());
    tlsReloads = vertx.eventBus().localConsumer(ListenerTls.RELOADED_ADDRESS, message -> applyReloadedTls());
    long checkPeriod = config.heartbeatCheckPeriodMs();
    long renewalPeriod = config.leaseRenewalPeriodMs();
    // Jittered first ticks, so instances and nodes do not renew in lockstep.
    heartbeatTimer = vertx.setPeriodic(jitter(checkPeriod), checkPeriod, id -> checkHeartbeats());
    renewalTimer = vertx.setPeriodic(jitter(renewalPeriod), renewalPeriod, id -> renewal.renew());
    return Future.all(server.listen(), evictions.completion(), rechecks.completion(), tlsReloads.completion(),
        subscriptions.start());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(renewalTimer);
    renewal.stop();
    List<Future<?>> cleanups = new ArrayList<>();
    for (ClientConnection connection : registry.snapshot()) {
      cleanups.add(connection.shutdown());
    }
    LOG.info("closing {} sessions for shutdown", cleanups.size());
    return Future.join(cleanups)
        .eventually(() -> subscriptions.stop())
        .eventually(() -> rechecks.unregister())
        .eventually(() -> tlsReloads.unregister())
        .eventually(() -> evictions.unregister())
        .eventually(() -> server.close());
  }

  private void onEvictionRequest(Object body) {
    EvictionRequest request = EvictionRequest.fromJson(body).orElse(null);
    if (request != null && request.room() != null) {
      onRoomKick(request);
      return;
    }
    if (request != null && request.tokenId() != null) {
      onTokenEviction(request);
      return;
    }
    ClientConnection connection = request == null ? null : registry.get(request.session());
    if (connection == null) {
      return;
    }
    LeaveReason reason = request.reason();
    if (reason == LeaveReason.EXPIRED || reason == LeaveReason.NODE_LOST) {
      // "Your node is presumed dead": this node is alive to read it, so the sender may be the confused
      // one (a member that woke from a pause sees everyone else as lost). Verify against the cluster
      // instead of obeying: the lease check closes the session (4002) only if its entry is really gone.
      renewal.recheckInsteadOfEvicting(request.session());
      return;
    }
    // Authorized by the presence.kick handler (docs/event-bus.md); the bridge never lets a browser publish here.
    // Another node cannot say "bye" for a client (the nickname's fate follows the reason: NickLeasePolicy).
    connection.evict(reason == LeaveReason.BYE ? LeaveReason.EVICTED : reason,
        reason == LeaveReason.KICKED ? request.detail() : null);
  }

  /**
   * A kick from a room ({@code presence.kick} with a {@code room}): the kicking node already took the membership out of
   * the cluster; the instance owning the session tells it, which keeps it connected. Only a kick does this.
   */
  private void onRoomKick(EvictionRequest request) {
    if (request.reason() != LeaveReason.KICKED) {
      LOG.warn("room eviction with reason {} ignored: only a kick takes a session out of a room",
          request.reason().wireName());
      return;
    }
    ClientConnection connection = registry.get(request.session());
    if (connection != null) {
      connection.kickedFromRoom(request.room(), request.detail());
    }
  }

  /**
   * A kick by token ({@code presence.kick} with a {@code jti} and {@code revokeForMs}): closes, like any kick (4004,
   * nickname freed), this instance's sessions whose current token has that {@code jti}. The cluster does not index
   * sessions by token, so every instance of every node looks through its own connections; revocations are rare, so
   * the scan's cost (one comparison per open session) is paid seldom. Only a kick may close sessions by token.
   */
  private void onTokenEviction(EvictionRequest request) {
    if (request.reason() != LeaveReason.KICKED) {
      LOG.warn("eviction by token with reason {} ignored: only a kick closes sessions by token",
          request.reason().wireName());
      return;
    }
    int closed = 0;
    for (ClientConnection connection : registry.snapshot()) {
      if (request.tokenId().equals(connection.tokenId())) {
        connection.evict(LeaveReason.KICKED, request.detail());
        closed++;
      }
    }
    if (closed > 0) {
      LOG.info("kicked {} sessions running on a revoked token (jti {})", closed, request.tokenId());
    }
  }

  /**
   * Every instance updates its own server: instances share one listening socket in Vert.x today, but each server
   * object is this verticle's, and an instance left out would keep handing out the old certificate if they did not.
   */
  private void applyReloadedTls() {
    tls.applyTo(server).onFailure(t -> LOG.warn("new TLS certificate not applied, this listener keeps the "
        + "previous one: {}", t.toString()));
  }

  private void checkHeartbeats() {
    long now = node.clock().millis();
    long gap = pauses.tick(now);
    if (gap > 0) {
      long sinceNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(gap);
      // The process's pause detector records a standstill a moment after the process resumes: judge after that moment.
      vertx.setTimer(ProcessPauses.REPORT_DELAY_MS, id -> afterLateTick(gap, sinceNanos));
    }
    for (ClientConnection connection : registry.snapshot()) {
      connection.checkHeartbeat(now);
    }
  }

  /**
   * The heartbeat timer ticked {@code gapMs} late: {@link LoopStall#judge} says whether that calls for re-checking
   * every lease at once ({@link LeaseRenewal#afterPause}). When the loop was only busy, its renewal timer, as late as
   * this one, renews when the loop catches up. Event loop.
   *
   * @param gapMs      how long the loop went without a heartbeat tick (ms)
   * @param sinceNanos {@link System#nanoTime()} when the late tick's predecessor ran
   */
  private void afterLateTick(long gapMs, long sinceNanos) {
    long stoodStillMs = processPauses.longestSince(sinceNanos);
    PresenceConfig config = node.config();
    LoopStall stall = LoopStall.judge(gapMs, stoodStillMs, pauses.gapMs(),
        config.staleAfterMs() - config.leaseRenewalPeriodMs());
    node.metrics().eventLoopStall(stall);
    if (stall.rechecks()) {
      LOG.warn("event loop {} ms without a tick, the process standing still {} ms of it ({}): re-checking every "
          + "lease", gapMs, stoodStillMs, stall.metricName());
      renewal.afterPause();
    } else {
      LOG.warn("event loop ran {} ms late while the process ran (busy, not paused): leases are renewed on schedule",
          gapMs);
    }
  }

  private static long jitter(long period) {
    return 1 + ThreadLocalRandom.current().nextLong(Math.max(1, period));
  }
}
