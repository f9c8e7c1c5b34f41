package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import dev.presence.store.ClusterStoreException;
import dev.presence.config.PresenceConfig;
import dev.presence.nickname.NickLease;
import dev.presence.session.LeaveReason;
import dev.presence.presence.PauseDetector;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.SessionRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a share of the node's WebSocket connections on one event loop: accepts them on {@code /ws}
 * (Vert.x spreads connections over the instances listening on the same port), serves the HTTP API,
 * checks heartbeats, renews its sessions' leases in batches, and acts on eviction requests for its own
 * sessions. One instance per event loop; each has its own {@link SessionRegistry} and {@link SubscriptionHub}
 * (one {@code presence.events} consumer for its subscribed connections), never shared.
 *
 * <p>Threading: every handler here runs on this instance's event loop.
 */
public final class PresenceWebSocketVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceWebSocketVerticle.class);

  private final NodeServices node;

  // Event-loop confined.
  private SessionRegistry<ClientConnection> registry;
  private HttpServer server;
  private MessageConsumer<JsonObject> evictions;
  private long heartbeatTimer = -1;
  private long renewalTimer = -1;
  private final PauseDetector pauses = new PauseDetector();
  private boolean recheckQueued;
  private MessageConsumer<Object> rechecks;
  private SubscriptionHub subscriptions;

  /** @param node the node-wide services this instance shares with the others */
  public PresenceWebSocketVerticle(NodeServices node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    PresenceConfig config = node.config();
    registry = new SessionRegistry<>(node.sessions());
    node.health().watchEventLoop(context);
    subscriptions = new SubscriptionHub(vertx, node.presenceStore(), node.clock(), config.whoLimit(),
        config.limits().subscriberQueue(), node.metrics());
    SessionEnvironment env = new SessionEnvironment(vertx, node,
        new HeartbeatPolicy(config.heartbeatIntervalMs(), config.heartbeatTimeoutMs()), registry, subscriptions);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxWebSocketFrameSize(PresenceConfig.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(config.maxMessageBytes())
        // permessage-deflate has no cap on the inflated size in Vert.x: off.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    // Upgrades go through the router (no server-level WebSocket handler), so that /ws and the SockJS
    // bridge's /eventbus/websocket can both accept them; any other path answers 404.
    Router router = new HttpApi(vertx, node).router();
    router.get(HttpPaths.WEBSOCKET).handler(this::checkOrigin).handler(ctx -> upgrade(ctx, env));
    router.route(HttpPaths.EVENT_BUS_BRIDGE + "/*").handler(this::checkOrigin)
        .subRouter(EventBusBridge.router(vertx, node.auth(), node.metrics()));
    router.route("/*").subRouter(Dashboard.router(vertx)); // last: only what no route above answered
    server = vertx.createHttpServer(options).requestHandler(router);
    evictions = vertx.eventBus().consumer(ClusterNames.EVICT_ADDRESS, message -> onEvictionRequest(message.body()));
    rechecks = vertx.eventBus().localConsumer(ClusterNames.LOCAL_LEASE_RECHECK_ADDRESS,
        message -> requestLeaseRecheck());
    long checkPeriod = config.heartbeatCheckPeriodMs();
    long renewalPeriod = config.leaseRenewalPeriodMs();
    // Jittered first ticks, so instances and nodes do not renew in lockstep.
    heartbeatTimer = vertx.setPeriodic(jitter(checkPeriod), checkPeriod, id -> checkHeartbeats());
    renewalTimer = vertx.setPeriodic(jitter(renewalPeriod), renewalPeriod, id -> renewLeases());
    return Future.all(server.listen(), evictions.completion(), rechecks.completion(), subscriptions.start());
  }

  /**
   * Cross-site WebSocket hijacking defence: a browser always sends {@code Origin} on a WebSocket or SockJS
   * request (RFC 6455 §4.1 item 8, §10.2); one not on {@code PRESENCE_ALLOWED_ORIGINS} gets 403 before any
   * upgrade. Clients that are not browsers send no {@code Origin} and pass.
   */
  private void checkOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (node.config().auth().originAllowed(origin, ctx.request().authority() == null ? null
        : ctx.request().authority().toString())) {
      ctx.next();
      return;
    }
    node.metrics().refused("forbidden_origin");
    LOG.info("refused a request from origin {}", origin);
    jsonError(ctx, 403, "forbidden_origin", "origin not allowed");
  }

  /**
   * Accepts a client WebSocket on {@code /ws}: 503 while draining (the client tries another node), 429 when the
   * client's IP already holds {@code PRESENCE_MAX_CONNECTIONS_PER_IP} connections on this node.
   */
  private void upgrade(RoutingContext ctx, SessionEnvironment env) {
    if (node.health().isDraining()) {
      ctx.response().setStatusCode(503).end();
      return;
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      // Answered here, in JSON, rather than by Vert.x's own plain-text refusal of a non-upgrade request.
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", NOT_AN_UPGRADE).encode());
      return;
    }
    String ip = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    if (!node.connectionsPerIp().tryAcquire(ip)) {
      node.metrics().refused("connection_limit");
      jsonError(ctx, 429, "connection_limit", "more than " + node.config().limits().maxConnectionsPerIp()
          + " connections from this address");
      return;
    }
    String bearer = bearerToken(ctx.request().getHeader("Authorization"));
    ctx.request().toWebSocket()
        .onSuccess(ws -> new ClientConnection(ws, env, bearer, () -> node.connectionsPerIp().release(ip)).start())
        .onFailure(failure -> {
          node.connectionsPerIp().release(ip);
          LOG.debug("WebSocket upgrade refused: {}", failure.toString());
          if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", NOT_AN_UPGRADE).encode());
          }
        });
  }

  private static final String NOT_AN_UPGRADE = "expected a WebSocket upgrade (RFC 6455 section 4.1)";

  /** RFC 6750 §2.1: {@code Authorization: Bearer <token>}; the scheme is case-insensitive. */
  static String bearerToken(String header) {
    if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private static void jsonError(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(renewalTimer);
    List<Future<?>> cleanups = new ArrayList<>();
    for (ClientConnection connection : registry.snapshot()) {
      cleanups.add(connection.shutdown());
    }
    LOG.info("closing {} sessions for shutdown", cleanups.size());
    return Future.join(cleanups)
        .eventually(() -> subscriptions.stop())
        .eventually(() -> rechecks.unregister())
        .eventually(() -> evictions.unregister())
        .eventually(() -> server.close());
  }

  private void onEvictionRequest(JsonObject request) {
    if (request == null || !(request.getValue("session") instanceof String session)) {
      return;
    }
    ClientConnection connection = registry.get(session);
    if (connection == null) {
      return;
    }
    LeaveReason reason = LeaveReason.fromWire(request.getString("reason"));
    if (reason == LeaveReason.EXPIRED || reason == LeaveReason.NODE_LOST) {
      // "Your node is presumed dead": this node is alive to read it, so the sender may be the confused
      // one (a member that woke from a pause sees everyone else as lost). Verify against the cluster
      // instead of obeying: the lease check closes the session (4002) only if its entry is really gone.
      LOG.warn("eviction of live session {} requested with reason {}: re-checking leases instead", session,
          reason.wireName());
      requestLeaseRecheck();
      return;
    }
    if (reason == LeaveReason.KICKED) {
      // Authorized by the presence.kick handler (docs/event-bus.md); the bridge never lets a browser publish here.
      connection.evict(reason, request.getValue("detail") instanceof String detail ? detail : null);
      return;
    }
    // Another node cannot say "bye" for a client: an eviction never frees the nickname at once.
    connection.evict(reason.releasesNickAtOnce() ? LeaveReason.EVICTED : reason);
  }

  private void checkHeartbeats() {
    long now = node.clock().millis();
    long gap = pauses.tick(now);
    if (gap > 0) {
      onResumed(gap);
    }
    for (ClientConnection connection : registry.snapshot()) {
      connection.checkHeartbeat(now);
    }
  }

  /**
   * Coalesces re-check requests: a confused node may send hundreds of "presumed dead" evictions at once,
   * and one batched lease check answers all of them.
   */
  private void requestLeaseRecheck() {
    if (!recheckQueued) {
      recheckQueued = true;
      vertx.runOnContext(v -> {
        recheckQueued = false;
        renewLeases();
      });
    }
  }

  /**
   * After a pause the node may believe it holds leases that the rest of the cluster has since evicted
   * and handed on. It re-checks them at once (fencing: sessions whose lease moved on are told
   * {@code nick.lost} or closed with 4002), and again after Hazelcast has had time to notice that the
   * other members gave up on it (then the nickname map answers "no quorum" and the node self-fences).
   */
  private void onResumed(long gapMs) {
    LOG.warn("event loop resumed after {} ms without a tick (process paused?): re-checking every lease", gapMs);
    renewLeases();
    vertx.setTimer(2_000, id -> renewLeases());
    vertx.setTimer(6_000, id -> renewLeases());
  }

  /**
   * One batch for all of this instance's sessions: one presence call, one nickname call and one session-slot
   * call per renewal period, never one per session or per heartbeat.
   */
  private void renewLeases() {
    Set<String> sessions = new HashSet<>();
    Set<String> users = new HashSet<>();
    Map<String, String> sessionByNick = new HashMap<>();
    for (ClientConnection connection : registry.snapshot()) {
      String session = connection.activeSession();
      if (session != null) {
        sessions.add(session);
        users.add(connection.user());
        if (connection.nickKey() != null) {
          sessionByNick.put(connection.nickKey(), session);
        }
      }
    }
    long now = node.clock().millis();
    long ttl = node.config().leaseTtlMs();
    long started = System.nanoTime();
    Future<?> presence = node.presenceStore().renewAll(sessions, node.service().node(), now, ttl)
        .onSuccess(missing -> missing.forEach(this::onLeaseMissing))
        .onFailure(t -> LOG.warn("presence lease renewal failed: {}", t.toString()));
    Future<?> nicknames = node.nicknameStore().renewAll(sessionByNick.keySet(), node.service().node(), now, ttl)
        .onSuccess(renewed -> checkNickLeases(sessionByNick, renewed))
        .onFailure(t -> onNickRenewalFailed(sessionByNick, t));
    // A failed slot renewal is only logged: the slots stay valid until their TTL and the next batch retries.
    Future<?> slots = node.service().renewSessionSlots(users)
        .onFailure(t -> LOG.warn("session slot renewal failed: {}", t.toString()));
    Future.all(presence, nicknames, slots)
        .onSuccess(done -> node.metrics().leaseRenewal(System.nanoTime() - started));
  }

  /**
   * Self-fencing: on the minority side of a split (no quorum), this node cannot know whether the majority
   * has given its sessions' nicknames to someone else, so it tells them they lost them instead of letting
   * two clients believe they own one nickname. Any other failure is transient: the lease is still valid
   * until its TTL, and the next renewal retries.
   */
  private void onNickRenewalFailed(Map<String, String> sessionByNick, Throwable failure) {
    if (failure instanceof ClusterStoreException store && store.noQuorum()) {
      LOG.warn("no nickname quorum: telling {} sessions they lost their nicknames", sessionByNick.size());
      checkNickLeases(sessionByNick, Map.of());
    } else {
      LOG.warn("nickname lease renewal failed: {}", failure.toString());
    }
  }

  private void onLeaseMissing(String session) {
    ClientConnection connection = registry.get(session);
    if (connection != null && session.equals(connection.activeSession())) {
      LOG.warn("session {} has no presence lease any more; evicting", session);
      connection.evict(LeaveReason.EXPIRED);
    }
  }

  private void checkNickLeases(Map<String, String> sessionByNick, Map<String, NickLease> renewed) {
    sessionByNick.forEach((key, session) -> {
      NickLease lease = renewed.get(key);
      if (lease == null || !lease.holder().session().equals(session)) {
        ClientConnection connection = registry.get(session);
        if (connection != null) {
          connection.onNickLost(key);
        }
      }
    });
  }

  private static long jitter(long period) {
    return 1 + ThreadLocalRandom.current().nextLong(Math.max(1, period));
  }
}
