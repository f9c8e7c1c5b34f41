package dev.presence.transport;

import dev.presence.config.ListenerSettings;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public listener's connection-level options from {@link ListenerSettings}: the PROXY protocol and the idle
 * timeout of connections that have not become sessions. Kept apart from the verticle's other server options.
 *
 * <p>Why the idle timeout is lifted from sessions: Vert.x's {@code setIdleTimeout} puts one Netty
 * {@link IdleStateHandler} in the connection's pipeline and keeps it there after a WebSocket upgrade, closing the
 * TCP connection (no close frame) once nothing was read or written for the timeout. For a session that is the
 * heartbeat's job, with its own timeout, leave reason and grace period: a session whose client is slow to read
 * (its pings not written out) or a deployment whose ping interval is above the idle timeout would otherwise lose
 * sessions with reason {@code closed}. So the handler comes out of the pipeline the moment {@code /ws} upgrades.
 *
 * <p>Threading: {@link #apply} at verticle start; {@link #exemptFromIdleTimeout} on the socket's event loop.
 */
final class ListenerOptions {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerOptions.class);

  private ListenerOptions() {
  }

  /**
   * Sets the PROXY protocol (HAProxy's "The PROXY protocol" v1 text and v2 binary headers, decoded by Netty's
   * netty-codec-haproxy; a connection whose header is missing, malformed or late is closed alone) and the idle
   * timeout (ms, reads and writes both count as activity).
   *
   * @param options  the listener's options, changed in place
   * @param listener the settings
   * @return {@code options}
   */
  static HttpServerOptions apply(HttpServerOptions options, ListenerSettings listener) {
    options.setUseProxyProtocol(listener.proxyProtocol());
    if (listener.proxyProtocol()) {
      options.setProxyProtocolTimeout(listener.proxyProtocolTimeoutMs())
          .setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    // At most a day (validated), so the int cannot overflow.
    return options.setIdleTimeout((int) listener.httpIdleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * Removes the listener's idle timeout from the connection of a session just upgraded on {@code /ws}; its liveness
   * is the heartbeat's. Vert.x has no public API for one connection's idle timeout, so this reaches the Netty
   * pipeline through Vert.x's HTTP/1.x server connection ({@code io.vertx.core.http.impl.HttpServerConnection}); the
   * {@code ServerWebSocket} itself is wrapped by vertx-web and hides it. If a Vert.x upgrade moves that type, the
   * warning below is logged and {@code ClientAddressIT} (a quiet session outlives the timeout) fails.
   *
   * @param connection the HTTP connection the socket was upgraded on
   */
  static void exemptFromIdleTimeout(HttpConnection connection) {
    if (!(connection instanceof HttpServerConnection server)) {
      LOG.warn("cannot lift the HTTP idle timeout from {}: quiet sessions may be closed after it",
          connection == null ? null : connection.getClass().getName());
      return;
    }
    ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
    if (pipeline.get(IdleStateHandler.class) != null) {
      pipeline.remove(IdleStateHandler.class);
    }
  }
}
