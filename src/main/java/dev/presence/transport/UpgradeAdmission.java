package dev.presence.transport;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may open a connection, decided before the WebSocket handshake: the origin (cross-site WebSocket hijacking),
 * a draining node (503), a request that is not an upgrade (400), the per-IP connection limit (429). Answers in
 * JSON; an admitted socket is handed on with the bearer token of the upgrade request.
 *
 * <p>Threading: route handlers, on the event loop of the verticle instance that serves the request.
 */
final class UpgradeAdmission {

  private static final Logger LOG = LoggerFactory.getLogger(UpgradeAdmission.class);
  private static final String NOT_AN_UPGRADE = "expected a WebSocket upgrade (RFC 6455 section 4.1)";

  /** An admitted socket, with the upgrade's bearer token (or {@code null}) and what to run once it closes. */
  interface Admitted {
    /**
     * @param ws             the accepted socket
     * @param bearer         the {@code Authorization: Bearer} token of the upgrade request, or {@code null}
     * @param onSocketClosed releases the socket's per-IP count; run once when it closes
     */
    void accept(ServerWebSocket ws, String bearer, Runnable onSocketClosed);
  }

  private final NodeServices node;

  UpgradeAdmission(NodeServices node) {
    this.node = node;
  }

  /**
   * Cross-site WebSocket hijacking defence: a browser always sends {@code Origin} on a WebSocket or SockJS
   * request (RFC 6455 §4.1 item 8, §10.2); one not on {@code PRESENCE_ALLOWED_ORIGINS} gets 403 before any
   * upgrade. Clients that are not browsers send no {@code Origin} and pass.
   */
  void checkOrigin(RoutingContext ctx) {
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
   *
   * @param ctx      the upgrade request
   * @param admitted receives the socket once the handshake succeeded
   */
  void upgrade(RoutingContext ctx, Admitted admitted) {
    if (refusedWhileDraining(ctx)) {
      return;
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      // Answered here, in JSON, rather than by Vert.x's own plain-text refusal of a non-upgrade request.
      notAnUpgrade(ctx);
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
        .onSuccess(ws -> admitted.accept(ws, bearer, () -> node.connectionsPerIp().release(ip)))
        .onFailure(failure -> {
          node.connectionsPerIp().release(ip);
          LOG.debug("WebSocket upgrade refused: {}", failure.toString());
          if (!ctx.response().headWritten()) {
            notAnUpgrade(ctx);
          }
        });
  }

  /**
   * A route handler for the SockJS bridge ({@code /eventbus/*}): while the node drains, every request, the
   * bridge's WebSocket upgrade included, gets 503 as a {@code /ws} upgrade does, so the client goes to another
   * node instead of opening a socket here that the drain would close moments later.
   *
   * @param ctx the request
   */
  void refuseWhileDraining(RoutingContext ctx) {
    if (!refusedWhileDraining(ctx)) {
      ctx.next();
    }
  }

  private boolean refusedWhileDraining(RoutingContext ctx) {
    if (!node.health().isDraining()) {
      return false;
    }
    ctx.response().setStatusCode(503).end();
    return true;
  }

  /** RFC 6750 §2.1: {@code Authorization: Bearer <token>}; the scheme is case-insensitive. */
  static String bearerToken(String header) {
    if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private static void notAnUpgrade(RoutingContext ctx) {
    ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", NOT_AN_UPGRADE).encode());
  }

  private static void jsonError(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }
}
