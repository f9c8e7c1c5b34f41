package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: browsers and other HTTP clients receive
 * {@code presence.events} (the cluster's join, nick and leave events) without joining the cluster.
 *
 * <p>Outbound only {@code presence.events}; inbound nothing. The bridge refuses (replies {@code err
 * access_denied}) a send or publish to any address, in particular {@code presence.evict}, which would
 * otherwise let any browser close any session. The raw TCP event-bus bridge is not offered: its frame
 * parser has no size cap.
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

  private EventBusBridge() {
  }

  /**
   * @param vertx the node's Vert.x
   * @return a router to mount under {@code /eventbus/*}
   */
  static Router router(Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddress(ClusterNames.EVENTS_ADDRESS))
        .setMaxHandlersPerSocket(MAX_HANDLERS_PER_SOCKET);
    return SockJSHandler.create(vertx, new SockJSHandlerOptions()).bridge(options);
  }
}
