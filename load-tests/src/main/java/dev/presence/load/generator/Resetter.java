package dev.presence.load.generator;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Resets a sample of the held sessions (TCP RST, no close frame) and reports which, when (epoch ms) and
 * where, for the ghost-window measurement.
 *
 * <p>Vert.x's public API can only close a WebSocket with a close frame first, which the server would see as
 * an orderly {@code closed}, not a reset. So this reaches the connection's Netty channel through Vert.x's
 * {@code WebSocketInternal} SPI, sets {@code SO_LINGER 0} on it and closes it from the first handler of
 * the pipeline, so that the close reaches the socket without passing Vert.x's handler (a {@code close()}
 * on the channel itself went through it and the node saw an orderly close). The kernel then sends RST
 * (the server reports status 1006, leave reason {@code reset}). Event loop only.
 */
final class Resetter {

  private Resetter() {
  }

  /**
   * Resets {@code count} sessions spread evenly over the population (or all if fewer).
   *
   * @param state   the generator
   * @param command {@code {"id","count"}}
   */
  static void reset(GeneratorState state, JsonObject command) {
    int count = Math.min(command.getInteger("count"), state.open.size());
    JsonArray reset = new JsonArray();
    if (count > 0) {
      double stride = state.open.size() / (double) count;
      LoadSession[] chosen = new LoadSession[count];
      for (int i = 0; i < count; i++) {
        chosen[i] = state.open.get((int) (i * stride));
      }
      for (LoadSession session : chosen) {
        state.open.remove(session);
        session.resetByUs = true;
        long at = System.currentTimeMillis();
        Channel channel = ((WebSocketInternal) session.ws).channelHandlerContext().channel();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.pipeline().firstContext().close();
        reset.add(new JsonObject().put("session", session.sessionId)
            .put("endpoint", state.endpointName(session.endpoint)).put("at", at));
      }
    }
    Out.emit(new JsonObject().put("type", "done").put("id", command.getString("id")).put("cmd", "reset")
        .put("reset", reset));
  }

  /**
   * Reports up to {@code limit} session ids held on one endpoint (e.g. the node about to be killed).
   *
   * @param state   the generator
   * @param command {@code {"id","endpoint":"host:port","limit"}}
   */
  static void listSessions(GeneratorState state, JsonObject command) {
    int endpoint = state.endpoint(command.getString("endpoint"));
    int limit = command.getInteger("limit", Integer.MAX_VALUE);
    JsonArray ids = new JsonArray();
    for (int i = 0; i < state.open.size() && ids.size() < limit; i++) {
      LoadSession session = state.open.get(i);
      if (session.endpoint == endpoint && session.sessionId != null) {
        ids.add(session.sessionId);
      }
    }
    Out.emit(new JsonObject().put("type", "done").put("id", command.getString("id")).put("cmd", "sessions")
        .put("sessions", ids));
  }
}
