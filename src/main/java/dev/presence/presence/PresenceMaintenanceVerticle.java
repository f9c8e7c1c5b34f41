package dev.presence.presence;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node-level upkeep on one context: the periodic stale-session sweep, the eviction of a lost
 * member's sessions without waiting for their TTLs, and the recount of room counters. Every node runs one; their
 * removals are compare-and-delete, so running on all nodes at once is safe and yields one leave per session. The
 * room recount runs only on the node that {@code leadsRoomRecount} names (one node of the cluster; two at once
 * would still correct a room once, see {@link RoomRecount}).
 *
 * <p>Threading: everything runs on this verticle's event loop; {@link #onMemberLost} must be called there
 * (the membership watcher hands events over with {@code runOnContext}).
 */
public final class PresenceMaintenanceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceMaintenanceVerticle.class);

  /** How long after resuming this node does not judge other members (ms). */
  static final long ABSTAIN_AFTER_RESUME_MS = 30_000;

  private final StaleSessionSweeper sweeper;
  private final long sweepPeriodMs;
  private final BooleanSupplier hasQuorum;
  private final InstantSource clock;
  private final RoomRecount roomRecount;
  private final long roomRecountPeriodMs;
  private final BooleanSupplier leadsRoomRecount;
  private long timer = -1;
  private long recountTimer = -1;
  private boolean recounting;
  private long ticker = -1;
  private final PauseDetector pauses = new PauseDetector();
  private boolean sweeping;

  /**
   * @param sweeper       the sweeper
   * @param sweepPeriodMs time between sweeps (ms)
   * @param hasQuorum     whether this member's side of the cluster has the nickname quorum now
   * @param clock         wall clock
   * @param roomRecount   the repair of drifted room counters
   * @param roomRecountPeriodMs time between two recounts (ms); a drift is corrected after two of them
   * @param leadsRoomRecount whether this node is the one that recounts now
   */
  public PresenceMaintenanceVerticle(StaleSessionSweeper sweeper, long sweepPeriodMs, BooleanSupplier hasQuorum,
      InstantSource clock, RoomRecount roomRecount, long roomRecountPeriodMs, BooleanSupplier leadsRoomRecount) {
    this.sweeper = sweeper;
    this.sweepPeriodMs = sweepPeriodMs;
    this.hasQuorum = hasQuorum;
    this.clock = clock;
    this.roomRecount = roomRecount;
    this.roomRecountPeriodMs = roomRecountPeriodMs;
    this.leadsRoomRecount = leadsRoomRecount;
  }

  @Override
  public Future<?> start() {
    long first = 1 + ThreadLocalRandom.current().nextLong(sweepPeriodMs);
    timer = vertx.setPeriodic(first, sweepPeriodMs, id -> sweep());
    recountTimer = vertx.setPeriodic(roomRecountPeriodMs, id -> recountRooms());
    pauses.tick(clock.millis());
    ticker = vertx.setPeriodic(1_000, id -> pauses.tick(clock.millis()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(recountTimer);
    vertx.cancelTimer(ticker);
    return Future.succeededFuture();
  }

  /**
   * Whether this node should refrain from judging other members now. A member that was paused sees every
   * other member as gone when it wakes, and its view of the maps is stale: its member-loss evictions and
   * sweeps would publish false leaves for healthy sessions. So it abstains while it lacks the nickname
   * quorum, while its own tick is overdue (it is waking up), and for a while after it resumed. The
   * healthy members do the evicting.
   */
  private boolean abstains() {
    long now = clock.millis();
    return !hasQuorum.getAsBoolean() || pauses.overdue(now) || pauses.resumedWithin(now, ABSTAIN_AFTER_RESUME_MS);
  }

  /** @return the context this verticle runs on, where {@link #onMemberLost} must be called */
  public io.vertx.core.Context owningContext() {
    return context;
  }

  private void sweep() {
    if (sweeping) {
      return; // a slow sweep is not stacked under the next one
    }
    if (abstains()) {
      LOG.warn("skipping the stale-session sweep: this node just resumed or has no quorum");
      return;
    }
    sweeping = true;
    sweeper.sweep()
        .onSuccess(removed -> log("stale", removed))
        .onFailure(t -> LOG.warn("stale-session sweep failed: {}", t.toString()))
        .onComplete(ar -> sweeping = false);
  }

  private void recountRooms() {
    if (recounting || abstains() || !leadsRoomRecount.getAsBoolean()) {
      return;
    }
    recounting = true;
    roomRecount.run()
        .onSuccess(corrected -> {
          if (corrected > 0) {
            LOG.warn("corrected the occupancy counters of {} rooms that had drifted from their memberships",
                corrected);
          }
        })
        .onFailure(t -> LOG.warn("room recount failed: {}", t.toString()))
        .onComplete(ar -> recounting = false);
  }

  /**
   * Evicts every session of a member that left the cluster; their nicknames enter grace.
   *
   * @param node the lost member's node id
   */
  public void onMemberLost(String node) {
    if (abstains()) {
      LOG.warn("not evicting the sessions of node {}: this node just resumed or has no quorum,"
          + " so the healthy members judge", node);
      return;
    }
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
