package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * The {@code connect} command: opens {@code count} sessions (upgrade, {@code hello}, {@code welcome}),
 * spread round-robin over the endpoints, at most {@code maxInFlight} at a time and, if {@code rate} > 0,
 * no faster than that many per second. Welcomed sessions join the held population. Event loop only.
 */
final class Connector implements SessionOwner {

  private final GeneratorState state;
  private final String commandId;
  private final int[] endpoints;
  private final int count;
  private final int firstIndex;
  private final boolean withNick;
  private final int maxInFlight;
  private final double rate;
  private final long startNanos = System.nanoTime();
  private final Histogram latency = Histograms.newMicros();
  private int started;
  private int inFlight;
  private int welcomed;
  private int failed;
  private String firstError;
  private boolean done;

  Connector(GeneratorState state, JsonObject command) {
    this.state = state;
    this.commandId = command.getString("id");
    JsonArray names = command.getJsonArray("endpoints");
    this.endpoints = new int[names.size()];
    for (int i = 0; i < endpoints.length; i++) {
      endpoints[i] = state.endpoint(names.getString(i));
    }
    this.count = command.getInteger("count");
    this.firstIndex = command.getInteger("firstIndex", 0);
    this.withNick = command.getBoolean("nick", false);
    this.maxInFlight = command.getInteger("maxInFlight", 200);
    this.rate = command.getDouble("rate", 0.0);
  }

  /** Opens what the in-flight cap and the rate allow; called at start, on each answer and every tick. */
  void pump() {
    long due = rate > 0 ? Pacer.due(rate, System.nanoTime() - startNanos) : Long.MAX_VALUE;
    while (!done && started < count && inFlight < maxInFlight && started < due) {
      int index = firstIndex + started;
      LoadSession session = new LoadSession(index, endpoints[started % endpoints.length], false, System.nanoTime(),
          this);
      started++;
      inFlight++;
      state.open(session, "u-" + state.id + "-" + index, withNick ? "n" + state.id + "x" + index : null);
    }
    finishIfComplete();
  }

  /** @return true once every session was welcomed or failed and {@code done} was reported */
  boolean isDone() {
    return done;
  }

  @Override
  public void onWelcome(LoadSession session) {
    inFlight--;
    welcomed++;
    state.welcomed++;
    long nanos = System.nanoTime() - session.startedNanos;
    Histograms.recordNanos(latency, nanos);
    Histograms.recordNanos(state.connectInterval, nanos);
    state.open.add(session);
    pump();
  }

  @Override
  public void onFailed(LoadSession session, String cause) {
    inFlight--;
    failed++;
    state.connectFailed++;
    if (firstError == null) {
      firstError = cause;
    }
    pump();
  }

  @Override
  public void onClosed(LoadSession session) {
    state.open.remove(session);
    if (!session.resetByUs) {
      state.closedByServer++;
    }
  }

  private void finishIfComplete() {
    if (done || welcomed + failed < count) {
      return;
    }
    done = true;
    Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "connect")
        .put("welcomed", welcomed).put("failed", failed).put("firstError", firstError)
        .put("elapsedMs", (System.nanoTime() - startNanos) / 1_000_000).put("connect", Histograms.encode(latency)));
  }
}
