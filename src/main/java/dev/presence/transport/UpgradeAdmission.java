package dev.presence.transport;

import dev.presence.address.ClientAddress;
import dev.presence.address.ClientAddressPolicy;
import dev.presence.config.ListenerSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may open a connection, decided before the WebSocket handshake: the origin (cross-site WebSocket hijacking),
 * a draining node (503), a request that is not an upgrade (400), the per-IP connection limit (429). Answers in
 * JSON; an admitted socket is handed on with the bearer token of the upgrade request and the client's address, as
 * {@link ClientAddressPolicy} resolves it from the peer (after any PROXY protocol header) and a trusted proxy's
 * forwarding header.
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
     * @param client         the client's resolved address (what the per-IP limit counted)
     * @param onSocketClosed releases the socket's per-IP count; run once when it closes
     */
    void accept(ServerWebSocket ws, String bearer, ClientAddress client, Runnable onSocketClosed);
  }

  private final NodeServices node;
  private final ClientAddressPolicy addresses;

  UpgradeAdmission(NodeServices node) {
    this.node = node;
    ListenerSettings listener = node.config().listener();
    this.addresses = new ClientAddressPolicy(listener.trustedProxies(), listener.forwardedHeader());
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
   * client's address (an IPv4 address, an IPv6 /64) already holds {@code PRESENCE_MAX_CONNECTIONS_PER_IP}
   * connections on this node.
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
    ClientAddress client = clientAddress(ctx.request());
    if (!node.connectionsPerIp().tryAcquire(client)) {
      node.metrics().refused("connection_limit");
      LOG.atInfo().setMessage("refused a connection over the per-address limit").addKeyValue("client", client)
          .addKeyValue("limitKey", client.limitKey()).log();
      jsonError(ctx, 429, "connection_limit", "more than " + node.config().limits().maxConnectionsPerIp()
          + " connections from this address");
      return;
    }
    String bearer = bearerToken(ctx.request().getHeader("Authorization"));
    ctx.request().toWebSocket()
        .onSuccess(ws -> {
          ListenerOptions.exemptFromIdleTimeout(ctx.request().connection());
          admitted.accept(ws, bearer, client, () -> node.connectionsPerIp().release(client));
        })
        .onFailure(failure -> {
          node.connectionsPerIp().release(client);
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

  /**
   * The client's address: the peer (as the PROXY protocol header gave it, when the listener uses one), or what a
   * trusted proxy's forwarding header says. An unreadable header from a trusted proxy is counted
   * ({@code presence_forwarded_header_invalid_total}) and the peer is used.
   *
   * @param request the upgrade request
   * @return the address the connection is limited and logged under
   */
  ClientAddress clientAddress(HttpServerRequest request) {
    // The connection's address, not vertx-web's request.remoteAddress(): with Router.allowForward() that one takes the
    // left-most X-Forwarded-For entry, which any client writes. Behind the PROXY protocol it is the header's source.
    return clientAddress(request.connection() == null ? null : request.connection().remoteAddress(),
        request.headers());
  }

  /**
   * As {@link #clientAddress(HttpServerRequest)}, from a connection's peer address and its request headers (a
   * SockJS bridge socket's, {@link BridgeSockets}).
   *
   * @param socket  the connection's peer (after any PROXY protocol header), or {@code null} if unknown
   * @param headers the headers of the request that opened it
   * @return the address the connection is limited and logged under
   */
  ClientAddress clientAddress(SocketAddress socket, MultiMap headers) {
    ClientAddress peer = socket == null ? ClientAddress.UNKNOWN
        : ClientAddress.parse(socket.hostAddress()).orElse(ClientAddress.UNKNOWN);
    ClientAddressPolicy.Resolution resolution = addresses.resolve(peer,
        headers.getAll(addresses.header().headerName()));
    if (resolution.source() == ClientAddressPolicy.Source.INVALID_HEADER) {
      node.metrics().forwardedHeaderInvalid();
      // Debug only: a client behind the proxy controls the header and could otherwise fill the log; the metric counts.
      LOG.debug("unreadable {} header from trusted proxy {}: counting the connection under the proxy's address",
          addresses.header().headerName(), peer);
    }
    return resolution.client();
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
