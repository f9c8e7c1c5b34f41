package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.util.EnumSet;
import java.util.Locale;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: browsers and other HTTP clients receive
 * {@code presence.events} (the cluster's join, nick and leave events) and ask {@code presence.query} without
 * joining the cluster (docs/event-bus.md).
 *
 * <p>Outbound only {@code presence.events}; inbound only {@code presence.query}. The bridge refuses (replies
 * {@code err access_denied}) a send or publish to any other address, in particular {@code presence.evict} and
 * {@code presence.kick}, which would otherwise let any browser close any session. The raw TCP event-bus bridge is
 * not offered: its frame parser has no size cap.
 *
 * <p>With tokens (mode JWT) every {@code send}, {@code publish} and {@code register} must carry
 * {@code "headers":{"authorization":"Bearer <jwt>"}}; a missing or invalid token is refused before the permitted
 * check (the client gets {@code err rejected}) and counted as {@code refused{code="unauthorized"}}. Each frame is
 * checked on its own, so a token that expires stops working for the next frame. In development mode no token is
 * needed. The socket itself is held to the rules of a {@code /ws} connection ({@link BridgeSockets}): drain,
 * per-IP limit, message rate, a valid token within the hello timeout and closed when it expires. Only the
 * WebSocket transport is offered.
 *
 * <p>The SockJS bridge expects a {@code {"type":"ping"}} from each client at least every 10 s
 * ({@link SockJSBridgeOptions#getPingTimeout()}), and closes silent ones. Raw WebSocket clients use
 * {@code /eventbus/websocket} (the SockJS raw transport).
 *
 * <p>Threading: build from the owning verticle's start (event loop); the bridge's handlers run on that loop.
 */
final class EventBusBridge {

  /** Registrations one bridge socket may hold: enough for a client re-registering, no more. */
  private static final int MAX_HANDLERS_PER_SOCKET = 4;

  private static final String BEARER = "bearer ";

  private EventBusBridge() {
  }

  /**
   * Path of the vendored {@code sockjs-client} under the dashboard's {@code /} (built from the npm tarball into
   * {@code webroot/vendor/}; the version is the pom's {@code sockjs-client.version}): the SockJS iframe page
   * loads it from here instead of the public CDN SockJS defaults to.
   */
  static final String SOCKJS_LIBRARY_URL = "/vendor/sockjs-client/1.6.1/dist/sockjs.min.js";

  /**
   * @param vertx the node's Vert.x
   * @param node      limits, per-address counts, metrics and the authenticator ({@link BridgeSockets})
   * @param admission decides a socket's client address, as for {@code /ws}
   * @return a router to mount under {@code /eventbus/*}
   */
  static Router router(Vertx vertx, NodeServices node, UpgradeAdmission admission) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(ClusterNames.QUERY_ADDRESS))
        .addOutboundPermitted(new PermittedOptions().setAddress(ClusterNames.EVENTS_ADDRESS))
        .setMaxHandlersPerSocket(MAX_HANDLERS_PER_SOCKET);
    // WebSocket only: the polling and streaming fallbacks keep a session across many HTTP requests, each
    // outside the checks a WebSocket upgrade passes, and every browser the dashboard supports has WebSocket.
    SockJSHandlerOptions transports = new SockJSHandlerOptions().setLibraryURL(SOCKJS_LIBRARY_URL);
    for (Transport fallback : EnumSet.complementOf(EnumSet.of(Transport.WEBSOCKET))) {
      transports.addDisabledTransport(fallback.name());
    }
    return SockJSHandler.create(vertx, transports).bridge(options, new BridgeSockets(vertx, node,
        socket -> admission.clientAddress(socket.remoteAddress(), socket.headers())));
  }

  /** @return the token of {@code headers.authorization: "Bearer <jwt>"} (scheme case-insensitive), or null */
  static String bearerToken(JsonObject frame) {
    if (frame == null || !(frame.getValue("headers") instanceof JsonObject headers)
        || !(headers.getValue("authorization") instanceof String value)) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.length() <= BEARER.length() || !trimmed.substring(0, BEARER.length()).toLowerCase(Locale.ROOT)
        .equals(BEARER)) {
      return null;
    }
    String token = trimmed.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }
}
