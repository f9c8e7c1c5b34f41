package dev.presence.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the node when another member leaves the cluster, as the Vert.x node id its presence entries
 * carry. Hazelcast calls listeners on its event threads; this turns the event into a plain id and hands
 * it to a Vert.x context before anything else happens, and never lets an exception escape into
 * Hazelcast.
 */
public final class MembershipWatcher {

  /** Member attribute under which vertx-hazelcast stores the Vert.x node id of each member. */
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private static final Logger LOG = LoggerFactory.getLogger(MembershipWatcher.class);

  private final HazelcastInstance hazelcast;
  private UUID registration;
  private UUID lifecycleRegistration;
  private long quorumTimer = -1;
  private Vertx vertxOfTimer;
  /** Whether the nickname quorum was present at the last check; accessed only on the watching context. */
  private boolean hadQuorum;

  /** @param hazelcast the local member */
  public MembershipWatcher(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /**
   * Starts watching. Call once.
   *
   * @param context     where {@code onNodeLost} and {@code onLeasesInDoubt} run
   * @param onNodeLost  receives the Vert.x node id of each removed member, on {@code context}
   * @param onLeasesInDoubt runs, on {@code context}, when this node's leases are in doubt: after this member merged
   *                    back into a cluster (a split brain healed, or it was removed while paused and rejoined),
   *                    and when its side of the cluster falls below the nickname quorum (see
   *                    {@link #watchQuorum})
   * @param onMemberJoined runs, on {@code context}, when a member joins this member's cluster (a new node, or the other
   *                    side of a healed split, whose events while apart may never have arrived here)
   */
  public void start(Context context, Consumer<String> onNodeLost, Runnable onLeasesInDoubt, Runnable onMemberJoined) {
    watchQuorum(context, onLeasesInDoubt);
    lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      try {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          LOG.warn("this member merged back into the cluster: re-checking every lease");
          context.runOnContext(v -> onLeasesInDoubt.run());
        }
      } catch (Throwable t) {
        LOG.error("failed to hand over a lifecycle event", t);
      }
    });
    registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
        context.runOnContext(v -> onMemberJoined.run());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        try {
          if (event.getMember().isLiteMember()) {
            // A service joined as a lite member (docs/event-bus.md) owns no sessions: nothing to evict.
            LOG.info("lite member left: {}", event.getMember().getAddress());
            return;
          }
          String node = event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE);
          LOG.warn("member left: {} node {} ({} members)", event.getMember().getAddress(), node,
              event.getMembers().size());
          if (node != null) {
            context.runOnContext(v -> onNodeLost.accept(node));
          }
        } catch (Throwable t) {
          LOG.error("failed to hand over member removal", t);
        }
      }
    });
  }

  /** How often the nickname quorum is looked at (ms): well under the failure detector's 5 s. */
  static final long QUORUM_CHECK_MS = 250;

  /**
   * Self-fencing trigger. The nickname quorum counts members heard from within the last
   * {@link HazelcastConfigFactory#QUORUM_HEARTBEAT_TOLERANCE_MS} (Hazelcast's recently-active split-brain
   * protection), so a cut-off member loses it about 2 s after the cut, before the other side can remove it
   * (5 s) and hand on nicknames it may have granted in those first seconds. When it is lost, the node
   * re-checks its leases at once; the nickname map then refuses with "no quorum" and every session holding a
   * nickname is told {@code nick.lost}. A timer on {@code context} polls a volatile flag: cheap, and no
   * Hazelcast listener thread involved.
   */
  private void watchQuorum(Context context, Runnable onQuorumLost) {
    String name = hazelcast.getConfig().getMapConfig(ClusterNames.NICKNAME_MAP).getSplitBrainProtectionName();
    if (name == null) {
      return; // cluster size 1: no quorum to lose
    }
    vertxOfTimer = context.owner();
    quorumTimer = context.owner().setPeriodic(QUORUM_CHECK_MS, id -> {
      boolean has = hazelcast.getLifecycleService().isRunning()
          && hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(name).hasMinimumSize();
      if (hadQuorum && !has) {
        LOG.warn("nickname quorum lost (fewer than a majority of members heard from recently): re-checking "
            + "every lease");
        onQuorumLost.run();
      }
      hadQuorum = has;
    });
  }

  /** Stops watching; safe to call twice or before {@link #start}. */
  public void stop() {
    if (quorumTimer >= 0 && vertxOfTimer != null) {
      vertxOfTimer.cancelTimer(quorumTimer);
      quorumTimer = -1;
    }
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
    }
    registration = null;
    lifecycleRegistration = null;
  }
}
