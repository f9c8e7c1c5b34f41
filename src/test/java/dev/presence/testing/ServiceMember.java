package dev.presence.testing;

import dev.presence.cluster.EventBusTrust;
import dev.presence.cluster.HazelcastConfigFactory;
import dev.presence.config.ClusterSettings;
import dev.presence.config.EventBusTls;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Another Vert.x application joining a {@link TestCluster} the way docs/event-bus.md tells services to: its own
 * clustered Vert.x on its own Hazelcast <em>lite member</em> (no partitions), same cluster name and member list
 * as the nodes, its own free Hazelcast port. Call from the test thread (blocks).
 */
public final class ServiceMember {

  private ServiceMember() {
  }

  /** @return the service's clustered Vert.x, joined to {@code cluster}; close it to leave */
  public static Vertx join(TestCluster cluster) {
    return join(cluster, null);
  }

  /**
   * As {@link #join(TestCluster)}, presenting {@code tls} on the event bus (the cluster's certificate for a
   * trusted service, another one or {@code null} for a stranger).
   *
   * @return the service's clustered Vert.x, joined to {@code cluster}; close it to leave
   */
  public static Vertx join(TestCluster cluster, EventBusTls tls) {
    ClusterSettings nodes = cluster.node(0).config().cluster();
    ClusterSettings mine = ClusterSettings.local(cluster.clusterName(), FreePorts.next(), nodes.members());
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigFactory.liteMember(mine));
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    EventBusTrust.apply(tls, options.getEventBusOptions());
    return TestSession.await(Vertx.builder().with(options).withClusterManager(manager).buildClustered());
  }
}
