package dev.presence.health;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * The node's liveness and readiness, as vertx-health-check procedures (their JSON says which check
 * failed), and its draining flag.
 * <ul>
 *   <li>liveness {@code event-loops}: every WebSocket verticle's event loop runs a no-op within 1 s (a
 *       blocked loop fails it, so Kubernetes restarts a node whose sessions no longer get answers);</li>
 *   <li>readiness {@code cluster}: the Hazelcast member runs and sees at least one member;
 *       {@code draining}: the node is not shutting down (readiness turns false at once on SIGTERM).</li>
 * </ul>
 * Thread-safe: checks run on whichever event loop serves the probe; verticles register their context
 * from their own loop.
 */
public final class NodeHealth {

  /** How long an event loop may take to run a no-op before liveness fails (ms). */
  static final long EVENT_LOOP_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final IntSupplier clusterSize;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final List<Context> eventLoops = new CopyOnWriteArrayList<>();
  private final HealthChecks liveness;
  private final HealthChecks readiness;

  /**
   * @param vertx       the node's Vert.x
   * @param clusterSize members this member sees; 0 when the member is not running
   */
  public NodeHealth(Vertx vertx, IntSupplier clusterSize) {
    this.vertx = vertx;
    this.clusterSize = clusterSize;
    this.liveness = HealthChecks.create(vertx)
        .register("event-loops", EVENT_LOOP_TIMEOUT_MS + 500, this::checkEventLoops);
    this.readiness = HealthChecks.create(vertx)
        .register("cluster", this::checkCluster)
        .register("draining", this::checkNotDraining);
  }

  /**
   * Registers the context of a verticle that owns connections. Call from that verticle's start.
   *
   * @param context its context
   */
  public void watchEventLoop(Context context) {
    eventLoops.add(context);
  }

  /** Turns readiness false for good: the node is shutting down. Any thread. */
  public void startDraining() {
    draining.set(true);
  }

  /** @return true once {@link #startDraining()} was called */
  public boolean isDraining() {
    return draining.get();
  }

  /** @return the liveness checks ({@code /health/live}) */
  public HealthChecks liveness() {
    return liveness;
  }

  /** @return the readiness checks ({@code /health/ready}) */
  public HealthChecks readiness() {
    return readiness;
  }

  private void checkEventLoops(Promise<Status> promise) {
    List<Future<Void>> answers = new ArrayList<>();
    for (Context context : eventLoops) {
      Promise<Void> answered = Promise.promise();
      context.runOnContext(v -> answered.complete());
      answers.add(answered.future());
    }
    long timer = vertx.setTimer(EVENT_LOOP_TIMEOUT_MS, id -> promise.tryComplete(Status.KO(new JsonObject()
        .put("reason", "an event loop did not answer within " + EVENT_LOOP_TIMEOUT_MS + " ms"))));
    Future.all(answers).onComplete(done -> {
      vertx.cancelTimer(timer);
      promise.tryComplete(Status.OK(new JsonObject().put("eventLoops", eventLoops.size())));
    });
  }

  private void checkCluster(Promise<Status> promise) {
    int members = clusterSize.getAsInt();
    JsonObject data = new JsonObject().put("members", members);
    promise.complete(members > 0 ? Status.OK(data)
        : Status.KO(data.put("reason", "the Hazelcast member is not running")));
  }

  private void checkNotDraining(Promise<Status> promise) {
    promise.complete(draining.get()
        ? Status.KO(new JsonObject().put("reason", "the node is draining for shutdown"))
        : Status.OK());
  }
}
