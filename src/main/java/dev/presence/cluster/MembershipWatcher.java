package dev.presence.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Context;
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

  /** @param hazelcast the local member */
  public MembershipWatcher(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /**
   * Starts watching. Call once.
   *
   * @param context     where {@code onNodeLost} and {@code onMerged} run
   * @param onNodeLost  receives the Vert.x node id of each removed member, on {@code context}
   * @param onMerged    runs after this member merged back into a cluster (a split brain healed, or it
   *                    was removed while paused and rejoined), on {@code context}
   */
  public void start(Context context, Consumer<String> onNodeLost, Runnable onMerged) {
    lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      try {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          LOG.warn("this member merged back into the cluster: re-checking every lease");
          context.runOnContext(v -> onMerged.run());
        }
      } catch (Throwable t) {
        LOG.error("failed to hand over a lifecycle event", t);
      }
    });
    registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        try {
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

  /** Stops watching; safe to call twice or before {@link #start}. */
  public void stop() {
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
    }
    registration = null;
    lifecycleRegistration = null;
  }
}
