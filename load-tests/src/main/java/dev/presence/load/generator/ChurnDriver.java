package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * The {@code churn} command: cycles of connect, {@code hello} (with a nickname of its own), {@code welcome},
 * {@code bye}, server close, at a rate and with at most {@code maxInFlight} cycles at once, beside the
 * held population. Cycle {@code i} uses user {@code c-<gen>-<i>} and nickname {@code c<gen>x<i>}, so the
 * orchestrator can check afterwards that those nicknames are free again. Event loop only.
 */
final class ChurnDriver implements SessionOwner {

  /** Cycles still open when the step ends get this long to finish before {@code done} is reported. */
  private static final long DRAIN_NANOS = 10_000_000_000L;

  private final GeneratorState state;
  private String commandId;
  private int[] endpoints = new int[0];
  private double rate;
  private long durationNanos;
  private int maxInFlight;
  private int firstIndex;
  private long startNanos;
  private int started;
  private int inFlight;
  private int completed;
  private int failed;
  private String firstError;
  private Histogram cycle = Histograms.newMicros();
  private boolean running;

  ChurnDriver(GeneratorState state) {
    this.state = state;
  }

  /** Starts churning. */
  void start(JsonObject command) {
    commandId = command.getString("id");
    JsonArray names = command.getJsonArray("endpoints");
    endpoints = new int[names.size()];
    for (int i = 0; i < endpoints.length; i++) {
      endpoints[i] = state.endpoint(names.getString(i));
    }
    rate = command.getDouble("rate");
    durationNanos = command.getLong("durationMs") * 1_000_000L;
    maxInFlight = command.getInteger("maxInFlight", 100);
    firstIndex = command.getInteger("firstIndex", 0);
    startNanos = System.nanoTime();
    started = inFlight = completed = failed = 0;
    firstError = null;
    cycle = Histograms.newMicros();
    running = true;
  }

  /** Starts the cycles that are due; ends the command. Called every pacing tick. */
  void tick() {
    if (!running) {
      return;
    }
    long elapsed = System.nanoTime() - startNanos;
    if (elapsed < durationNanos) {
      long due = Pacer.due(rate, elapsed);
      while (started < due && inFlight < maxInFlight) {
        int index = firstIndex + started;
        LoadSession session = new LoadSession(index, endpoints[started % endpoints.length], true, System.nanoTime(),
            this);
        started++;
        inFlight++;
        state.open(session, "c-" + state.id + "-" + index, "c" + state.id + "x" + index);
      }
    } else if (inFlight == 0 || elapsed >= durationNanos + DRAIN_NANOS) {
      running = false;
      Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "churn").put("started", started)
          .put("completed", completed).put("failed", failed).put("unfinished", inFlight).put("firstError", firstError)
          .put("firstIndex", firstIndex).put("durationMs", durationNanos / 1_000_000)
          .put("nickPrefix", "c" + state.id + "x").put("cycle", Histograms.encode(cycle)));
    }
  }

  @Override
  public void onWelcome(LoadSession session) {
    session.pending = LoadSession.Pending.BYE;
    session.ws.writeTextMessage(Frames.bye());
  }

  @Override
  public void onFailed(LoadSession session, String cause) {
    inFlight--;
    failed++;
    if (firstError == null) {
      firstError = cause;
    }
  }

  @Override
  public void onClosed(LoadSession session) {
    inFlight--;
    Short code = session.ws.closeStatusCode();
    // A cycle is complete when the server closed with 1000 after our bye (protocol §2.5: the nickname is
    // already free then); any other ending is a failed cycle.
    if (session.pending == LoadSession.Pending.BYE && code != null && code == 1000) {
      completed++;
      long nanos = System.nanoTime() - session.startedNanos;
      Histograms.recordNanos(cycle, nanos);
      Histograms.recordNanos(state.churnInterval, nanos);
    } else {
      failed++;
      if (firstError == null) {
        firstError = "cycle ended with close " + code + " while " + session.pending;
      }
    }
  }
}
