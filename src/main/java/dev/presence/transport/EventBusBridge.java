package dev.presence.transport;

import dev.presence.auth.Authenticator;
import dev.presence.cluster.ClusterNames;
import dev.presence.presence.PresenceMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
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
 * needed.
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
   * @param vertx   the node's Vert.x
   * @param auth    verifies the tokens of bridge frames
   * @param metrics counts refused frames
   * @return a router to mount under {@code /eventbus/*}
   */
  static Router router(Vertx vertx, Authenticator auth, PresenceMetrics metrics) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(ClusterNames.QUERY_ADDRESS))
        .addOutboundPermitted(new PermittedOptions().setAddress(ClusterNames.EVENTS_ADDRESS))
        .setMaxHandlersPerSocket(MAX_HANDLERS_PER_SOCKET);
    return SockJSHandler.create(vertx, new SockJSHandlerOptions()).bridge(options, tokenCheck(auth, metrics));
  }

  /** Lets a frame from the client through only with a valid token, when the node requires tokens. */
  static Handler<BridgeEvent> tokenCheck(Authenticator auth, PresenceMetrics metrics) {
    return event -> {
      if (!auth.tokensRequired() || !fromClient(event.type())) {
        event.complete(true);
        return;
      }
      String token = bearerToken(event.getRawMessage());
      if (token == null) {
        metrics.refused("unauthorized");
        event.complete(false);
        return;
      }
      auth.authenticate(token, null).onComplete(ar -> {
        if (ar.failed()) {
          metrics.refused("unauthorized");
        }
        event.complete(ar.succeeded());
      });
    };
  }

  private static boolean fromClient(BridgeEventType type) {
    return type == BridgeEventType.SEND || type == BridgeEventType.PUBLISH || type == BridgeEventType.REGISTER;
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
