package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

/** Only the bridge's "connection closed" error is dropped; every other error still logs. */
class ClosedBridgeSocketLogFilterTest {

  private final LoggerContext context = new LoggerContext();
  private final ClosedBridgeSocketLogFilter filter = new ClosedBridgeSocketLogFilter();

  @Test
  void the_bridge_error_for_a_connection_closed_without_close_frame_is_dropped() {
    assertThat(decide(ClosedBridgeSocketLogFilter.BRIDGE_LOGGER, Level.ERROR, new HttpClosedException("closed")))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void other_bridge_errors_other_loggers_and_other_levels_are_kept() {
    assertThat(decide(ClosedBridgeSocketLogFilter.BRIDGE_LOGGER, Level.ERROR, new IllegalStateException("bug")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(ClosedBridgeSocketLogFilter.BRIDGE_LOGGER, Level.ERROR, null)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("dev.presence.transport.ClientConnection", Level.ERROR, new HttpClosedException("closed")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(ClosedBridgeSocketLogFilter.BRIDGE_LOGGER, Level.WARN, new HttpClosedException("closed")))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  private FilterReply decide(String logger, Level level, Throwable t) {
    return filter.decide(null, context.getLogger(logger), level, "SockJSSocket exception", null, t);
  }
}
