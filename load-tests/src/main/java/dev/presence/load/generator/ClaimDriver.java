package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Nickname traffic for the {@code claims} scenario at a total rate: each operation takes an idle session
 * (at most one request outstanding per session, so a latency is the server's, never our queue's) and
 * either releases its nickname, claims one of a few hot nicknames (contention across users and nodes), or
 * claims a fresh one (a change if it holds one: the server claims the new one, then releases the old).
 * When no session is idle the operation is counted as skipped, never queued. Event loop only.
 */
final class ClaimDriver {

  private static final long DRAIN_NANOS = 3_000_000_000L;

  private final GeneratorState state;
  private final SplittableRandom random;
  private final ArrayDeque<LoadSession> idle = new ArrayDeque<>();
  private String commandId;
  private double rate;
  private long durationNanos;
  private int hotNicks;
  private double hotFraction;
  private double releaseFraction;
  private long startNanos;
  private long sent;
  private long skipped;
  private long answered;
  private long claimsInWindow;
  private long releasesInWindow;
  private long fresh;
  private final JsonObject outcomes = new JsonObject();
  private Histogram claimLatency = Histograms.newMicros();
  private Histogram releaseLatency = Histograms.newMicros();
  private boolean sending;
  private boolean reporting;

  ClaimDriver(GeneratorState state) {
    this.state = state;
    this.random = new SplittableRandom(state.id.hashCode());
  }

  /** Starts a timed step over the sessions currently open. */
  void start(JsonObject command) {
    commandId = command.getString("id");
    rate = command.getDouble("rate");
    durationNanos = command.getLong("durationMs") * 1_000_000L;
    hotNicks = command.getInteger("hotNicks", 5);
    hotFraction = command.getDouble("hotFraction", 0.05);
    releaseFraction = command.getDouble("releaseFraction", 0.3);
    startNanos = System.nanoTime();
    sent = skipped = answered = claimsInWindow = releasesInWindow = 0;
    outcomes.clear();
    claimLatency = Histograms.newMicros();
    releaseLatency = Histograms.newMicros();
    idle.clear();
    for (int i = 0; i < state.open.size(); i++) {
      LoadSession session = state.open.get(i);
      if (session.pending == LoadSession.Pending.NONE) {
        idle.add(session);
      }
    }
    sending = true;
    reporting = true;
  }

  /** Sends what is due; ends the step. Called every pacing tick. */
  void tick() {
    if (!reporting) {
      return;
    }
    long elapsed = System.nanoTime() - startNanos;
    if (sending) {
      long due = Pacer.due(rate, Math.min(elapsed, durationNanos)) - sent - skipped;
      for (long i = 0; i < due; i++) {
        sendOne();
      }
      sending = elapsed < durationNanos;
    }
    if (!sending && (answered >= sent || elapsed >= durationNanos + DRAIN_NANOS)) {
      reporting = false;
      Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "claims").put("sent", sent)
          .put("skipped", skipped).put("answered", answered).put("claimsInWindow", claimsInWindow)
          .put("releasesInWindow", releasesInWindow).put("durationMs", durationNanos / 1_000_000)
          .put("outcomes", outcomes.copy()).put("claim", Histograms.encode(claimLatency))
          .put("release", Histograms.encode(releaseLatency)));
    }
  }

  private void sendOne() {
    LoadSession session = idle.poll();
    while (session != null && session.slot < 0) {
      session = idle.poll(); // closed meanwhile
    }
    if (session == null) {
      skipped++;
      return;
    }
    session.startedNanos = System.nanoTime();
    // Two independent draws: the release share applies to sessions holding a nickname, the hot share to
    // every claim. (One shared draw sent a session without a nickname to the hot branch with probability
    // release + hot, 35 % instead of 5 %.)
    if (session.nick != null && random.nextDouble() < releaseFraction) {
      session.pending = LoadSession.Pending.RELEASE;
      session.ws.writeTextMessage(Frames.release());
    } else {
      String nick = random.nextDouble() < hotFraction ? "hot" + random.nextInt(hotNicks)
          : "n" + state.id + "c" + fresh++;
      session.pending = LoadSession.Pending.CLAIM;
      session.ws.writeTextMessage(Frames.nick(nick));
    }
    sent++;
  }

  /** A {@code nick.ok}, {@code nick.released} or {@code error} frame for a session. */
  void onAnswer(LoadSession session, JsonObject message) {
    LoadSession.Pending pending = session.pending;
    if (pending != LoadSession.Pending.CLAIM && pending != LoadSession.Pending.RELEASE) {
      return; // e.g. the error after a refused hello nick
    }
    String type = message.getString("type");
    String outcome = "error".equals(type) ? message.getString("code", "error") : type;
    long now = System.nanoTime();
    long nanos = now - session.startedNanos;
    boolean inWindow = now - startNanos <= durationNanos;
    if (pending == LoadSession.Pending.CLAIM) {
      Histograms.recordNanos(claimLatency, nanos);
      claimsInWindow += inWindow ? 1 : 0;
      if ("nick.ok".equals(type)) {
        session.nick = message.getString("nick");
      }
    } else {
      Histograms.recordNanos(releaseLatency, nanos);
      releasesInWindow += inWindow ? 1 : 0;
      if ("nick.released".equals(type)) {
        session.nick = null;
      }
    }
    Histograms.recordNanos(state.requestInterval, nanos);
    outcomes.put(outcome, outcomes.getLong(outcome, 0L) + 1);
    answered++;
    session.pending = LoadSession.Pending.NONE;
    if (reporting) {
      idle.add(session);
    }
  }
}
