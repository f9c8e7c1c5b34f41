package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Application-level {@code ping}/{@code pong} (protocol §3) at a total rate over the whole population,
 * round-robin. Two modes: a timed step ({@code durationMs} > 0: report a {@code done} with what was sent,
 * what came back within the step and the latency histogram) and a continuous sample ({@code durationMs}
 * 0, until a {@code ping} with rate 0), whose latencies only go into the per-second status histograms.
 * Event loop only.
 */
final class PingDriver {

  /** Pongs may still arrive after a step ends; they count for latency, not for the achieved rate. */
  private static final long DRAIN_NANOS = 2_000_000_000L;

  private final GeneratorState state;
  private String commandId;
  private double rate;
  private long durationNanos;
  private long startNanos;
  private long sent;
  private long received;
  private long receivedInWindow;
  private Histogram step = Histograms.newMicros();
  private boolean sending;
  private boolean reporting;

  PingDriver(GeneratorState state) {
    this.state = state;
  }

  /** Starts a step or the continuous sample; rate 0 stops the sample. */
  void start(JsonObject command) {
    commandId = command.getString("id");
    rate = command.getDouble("rate", 0.0);
    durationNanos = command.getLong("durationMs", 0L) * 1_000_000L;
    startNanos = System.nanoTime();
    sent = 0;
    received = 0;
    receivedInWindow = 0;
    step = Histograms.newMicros();
    sending = rate > 0;
    reporting = durationNanos > 0;
    if (!reporting) {
      Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "ping").put("sampling", sending));
    }
  }

  /** Sends what is due; ends a step. Called every pacing tick. */
  void tick() {
    long now = System.nanoTime();
    long elapsed = now - startNanos;
    if (sending) {
      long windowElapsed = reporting ? Math.min(elapsed, durationNanos) : elapsed;
      long due = Pacer.due(rate, windowElapsed) - sent;
      for (long i = 0; i < due; i++) {
        LoadSession session = state.open.next();
        if (session == null) {
          break;
        }
        session.ws.writeTextMessage(Frames.ping(System.nanoTime()));
        sent++;
        state.pingsSent++;
      }
      if (reporting && elapsed >= durationNanos) {
        sending = false;
      }
    }
    if (reporting && !sending && (received >= sent || elapsed >= durationNanos + DRAIN_NANOS)) {
      reporting = false;
      Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "ping").put("sent", sent)
          .put("received", received).put("receivedInWindow", receivedInWindow)
          .put("durationMs", durationNanos / 1_000_000).put("rtt", Histograms.encode(step)));
    }
  }

  /** A {@code pong}: its {@code seq} is the send time. */
  void onPong(JsonObject pong) {
    Long seq = pong.getLong("seq");
    if (seq == null) {
      return;
    }
    long now = System.nanoTime();
    long rtt = now - seq;
    state.pongs++;
    Histograms.recordNanos(state.pingInterval, rtt);
    if (reporting && seq >= startNanos) {
      received++;
      Histograms.recordNanos(step, rtt);
      if (now - startNanos <= durationNanos) {
        receivedInWindow++;
      }
    }
  }
}
