package dev.presence.presence;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node-level upkeep on one context: the periodic stale-session sweep, and the eviction of a lost
 * member's sessions without waiting for their TTLs. Every node runs one; their removals are
 * compare-and-delete, so running on all nodes at once is safe and yields one leave per session.
 *
 * <p>Threading: everything runs on this verticle's event loop; {@link #onMemberLost} must be called there
 * (the membership watcher hands events over with {@code runOnContext}).
 */
public final class PresenceMaintenanceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceMaintenanceVerticle.class);

  private final StaleSessionSweeper sweeper;
  private final long sweepPeriodMs;
  private long timer = -1;
  private boolean sweeping;

  /**
   * @param sweeper       the sweeper
   * @param sweepPeriodMs time between sweeps (ms)
   */
  public PresenceMaintenanceVerticle(StaleSessionSweeper sweeper, long sweepPeriodMs) {
    this.sweeper = sweeper;
    this.sweepPeriodMs = sweepPeriodMs;
  }

  @Override
  public Future<?> start() {
    long first = 1 + ThreadLocalRandom.current().nextLong(sweepPeriodMs);
    timer = vertx.setPeriodic(first, sweepPeriodMs, id -> sweep());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** @return the context this verticle runs on, where {@link #onMemberLost} must be called */
  public io.vertx.core.Context owningContext() {
    return context;
  }

  private void sweep() {
    if (sweeping) {
      return; // a slow sweep is not stacked under the next one
    }
    sweeping = true;
    sweeper.sweep()
        .onSuccess(removed -> log("stale", removed))
        .onFailure(t -> LOG.warn("stale-session sweep failed: {}", t.toString()))
        .onComplete(ar -> sweeping = false);
  }

  /**
   * Evicts every session of a member that left the cluster; their nicknames enter grace.
   *
   * @param node the lost member's node id
   */
  public void onMemberLost(String node) {
    sweeper.evictMember(node)
        .onSuccess(removed -> log("of lost node " + node, removed))
        .onFailure(t -> LOG.warn("evicting sessions of lost node {} failed: {}", node, t.toString()));
  }

  private static void log(String what, List<PresenceEntry> removed) {
    if (!removed.isEmpty()) {
      LOG.info("evicted {} sessions {}", removed.size(), what);
    }
  }
}
