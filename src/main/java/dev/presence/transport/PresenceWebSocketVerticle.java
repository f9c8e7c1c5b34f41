package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import dev.presence.config.PresenceConfig;
import dev.presence.nickname.NickLease;
import dev.presence.presence.LeaveReason;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.SessionRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
 * sessions. One instance per event loop; each has its own {@link SessionRegistry}, never shared.
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

  /** @param node the node-wide services this instance shares with the others */
  public PresenceWebSocketVerticle(NodeServices node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    PresenceConfig config = node.config();
    registry = new SessionRegistry<>(node.sessions());
    node.health().watchEventLoop(context);
    SessionEnvironment env = new SessionEnvironment(vertx, node.service(), config,
        new HeartbeatPolicy(config.heartbeatIntervalMs(), config.heartbeatTimeoutMs()), registry, node.metrics(),
        node.clock());
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxWebSocketFrameSize(PresenceConfig.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(config.maxMessageBytes())
        // permessage-deflate has no cap on the inflated size in Vert.x: off.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    HttpApi api = new HttpApi(vertx, node);
    server = vertx.createHttpServer(options)
        .webSocketHandshakeHandler(handshake -> {
          if (!HttpPaths.WEBSOCKET.equals(handshake.path())) {
            handshake.reject(404);
          } else if (node.health().isDraining()) {
            handshake.reject(503); // draining: the client should connect to another node
          } else {
            handshake.accept();
          }
        })
        .webSocketHandler(ws -> new ClientConnection(ws, env).start())
        .requestHandler(api.router());
    evictions = vertx.eventBus().consumer(ClusterNames.EVICT_ADDRESS, message -> onEvictionRequest(message.body()));
    long checkPeriod = config.heartbeatCheckPeriodMs();
    long renewalPeriod = config.leaseRenewalPeriodMs();
    // Jittered first ticks, so instances and nodes do not renew in lockstep.
    heartbeatTimer = vertx.setPeriodic(jitter(checkPeriod), checkPeriod, id -> checkHeartbeats());
    renewalTimer = vertx.setPeriodic(jitter(renewalPeriod), renewalPeriod, id -> renewLeases());
    return Future.all(server.listen(), evictions.completion());
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
        .eventually(() -> evictions.unregister())
        .eventually(() -> server.close());
  }

  private void onEvictionRequest(JsonObject request) {
    if (request == null || !(request.getValue("session") instanceof String session)) {
      return;
    }
    ClientConnection connection = registry.get(session);
    if (connection != null) {
      LeaveReason reason = LeaveReason.fromWire(request.getString("reason"));
      // Another node cannot say "bye" for a client: an eviction never frees the nickname at once.
      connection.evict(reason.releasesNickAtOnce() ? LeaveReason.EVICTED : reason);
    }
  }

  private void checkHeartbeats() {
    long now = node.clock().millis();
    for (ClientConnection connection : registry.snapshot()) {
      connection.checkHeartbeat(now);
    }
  }

  /**
   * One batch for all of this instance's sessions: one presence call and one nickname call per renewal
   * period, never one per session or per heartbeat.
   */
  private void renewLeases() {
    Set<String> sessions = new HashSet<>();
    Map<String, String> sessionByNick = new HashMap<>();
    for (ClientConnection connection : registry.snapshot()) {
      String session = connection.activeSession();
      if (session != null) {
        sessions.add(session);
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
        .onFailure(t -> LOG.warn("nickname lease renewal failed: {}", t.toString()));
    Future.all(presence, nicknames).onSuccess(done -> node.metrics().leaseRenewal(System.nanoTime() - started));
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
