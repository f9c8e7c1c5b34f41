package dev.presence.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.presence.presence.MemberDirectory;
import dev.presence.presence.PresenceEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link MemberDirectory} on Hazelcast: the data members of the cluster (lite members, i.e. other Vert.x
 * services joined for the event bus, own no sessions and are left out) and their session counts, aggregated on
 * the members holding the presence map. Thread-safe; the aggregation runs on the Vert.x worker pool (no async
 * form in Hazelcast 5.3) and completes on the caller's context.
 */
public final class HazelcastMemberDirectory implements MemberDirectory {

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, PresenceEntry> map;
  private final StoreOperationCounter operations;

  HazelcastMemberDirectory(Vertx vertx, HazelcastInstance hazelcast, StoreOperationCounter operations) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(ClusterNames.PRESENCE_MAP);
    this.operations = operations;
  }

  /**
   * @param hazelcast a running member
   * @return the data members (not lite members) this member sees, in cluster order
   */
  static List<Member> dataMembers(HazelcastInstance hazelcast) {
    return hazelcast.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
  }

  @Override
  public List<String> dataNodes() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return List.of();
    }
    return dataMembers(hazelcast).stream()
        .map(m -> m.<String>getAttribute(MembershipWatcher.VERTX_NODE_ID_ATTRIBUTE))
        .filter(Objects::nonNull).sorted().toList();
  }

  @Override
  public Future<Map<String, Long>> sessionsPerNode() {
    operations.count("sessions", "aggregate");
    return ContextCompletion.blocking(vertx, "count sessions per node", () -> map.aggregate(new SessionsPerNode()));
  }
}
