package dev.presence.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.http.HttpClosedException;
import org.slf4j.Marker;

/**
 * Drops one library log line that is not an error: vertx-web's SockJS event-bus bridge logs
 * {@code ERROR "SockJSSocket exception"} with an {@link HttpClosedException} every time a bridge client's TCP
 * connection ends without a WebSocket close frame, which is what a browser tab closing or a network drop looks
 * like. At ERROR it would page operators (and fail the fault suite's no-error check) for normal client
 * behaviour. Every other bridge failure, and any other exception type, still logs as the library wrote it.
 *
 * <p>Installed by {@code logback.xml}; logback calls it on the logging thread, so it is stateless.
 */
public final class ClosedBridgeSocketLogFilter extends TurboFilter {

  /** The vertx-web class that logs the line (vertx-web 5.0, {@code EventBusBridgeImpl.handleSocketException}). */
  static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";

  /**
   * @return {@link FilterReply#DENY} for the bridge's closed-connection error, else {@link FilterReply#NEUTRAL}
   */
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    boolean closedBridgeSocket = level == Level.ERROR && t instanceof HttpClosedException
        && BRIDGE_LOGGER.equals(logger.getName());
    return closedBridgeSocket ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
