package dev.presence.presence;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The port behind the {@code members} query: which presence nodes form the cluster and how many sessions each
 * owns. Implemented on Hazelcast by {@code dev.presence.cluster.HazelcastMemberDirectory}.
 */
public interface MemberDirectory {

  /**
   * Thread-safe; does not block (reads the member list this member already holds).
   *
   * @return the node ids of the cluster's data members (presence nodes; never lite members), sorted; empty once
   *     this member stopped
   */
  List<String> dataNodes();

  /**
   * Call from a Vert.x context.
   *
   * @return node id → number of presence entries it owns (nodes without entries are absent), completed on the
   *     caller's context; failed with {@code ClusterStoreException} if the cluster store failed
   */
  Future<Map<String, Long>> sessionsPerNode();
}
