package dev.presence.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.presence.auth.RevocationStore;
import dev.presence.config.PresenceConfig;
import dev.presence.metrics.NodeMetrics;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.presence.LastSeenStore;
import dev.presence.presence.PresenceChannel;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.PresenceStores;
import dev.presence.presence.SessionSlotStore;
import dev.presence.room.RoomOccupancyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vert.x instance on an embedded Hazelcast member, and the adapters the domain uses. The
 * composition root reaches Hazelcast only through this class.
 */
public final class ClusterRuntime {

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final HazelcastInstance hazelcast;
  private final PresenceStore presenceStore;
  private final NicknameLeaseStore nicknameStore;
  private final SessionSlotStore slotStore;
  private final LastSeenStore lastSeenStore;
  private final RevocationStore revocationStore;
  private final RoomOccupancyStore roomStore;
  private final PresenceChannel channel;
  private final MembershipWatcher membership;
  private final HazelcastMemberDirectory memberDirectory;

  private ClusterRuntime(Vertx vertx, HazelcastClusterManager clusterManager, PresenceConfig config,
      NodeMetrics metrics) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.hazelcast = clusterManager.getHazelcastInstance();
    this.presenceStore = new HazelcastPresenceStore(vertx, hazelcast, metrics::storeOperation);
    this.nicknameStore = new HazelcastNicknameLeaseStore(vertx, hazelcast, config.leaseTtlMs(),
        metrics::storeOperation);
    this.slotStore = new HazelcastSessionSlotStore(vertx, hazelcast, metrics::storeOperation);
    this.lastSeenStore = new HazelcastLastSeenStore(vertx, hazelcast, metrics::storeOperation);
    this.revocationStore = new HazelcastRevocationStore(vertx, hazelcast, metrics::storeOperation);
    this.roomStore = new HazelcastRoomOccupancyStore(vertx, hazelcast, metrics::storeOperation);
    this.channel = new EventBusPresenceChannel(vertx.eventBus());
    this.membership = new MembershipWatcher(hazelcast);
    this.memberDirectory = new HazelcastMemberDirectory(vertx, hazelcast, metrics::storeOperation);
  }

  /** @return the cluster-wide revocations (docs/security.md, "Revocation") */
  public RevocationStore revocationStore() {
    return revocationStore;
  }

  /**
   * Starts the Hazelcast member and the clustered Vert.x instance. Call from a non-Vert.x thread (main).
   *
   * @param config  node settings
   * @param metrics the node's metrics (Vert.x and JVM metrics are reported into its registry)
   * @return the runtime once the member has joined (or formed) its cluster
   */
  public static Future<ClusterRuntime> start(PresenceConfig config, NodeMetrics metrics) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigFactory.build(config.cluster()));
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(metrics.vertxOptions(config.listener().proxyProtocol()));
    options.getEventBusOptions().setHost(config.cluster().host()).setPort(config.cluster().eventBusPort());
    EventBusTrust.apply(config.cluster().eventBusTls(), options.getEventBusOptions());
    return Vertx.builder().with(options).withClusterManager(manager).withMetrics(metrics.vertxFactory())
        .buildClustered()
        .compose(vertx -> {
          String problem = HazelcastConfigFactory.partitionGroupProblem(config.cluster().partitionGroup(),
              manager.getHazelcastInstance().getCluster().getLocalMember()::getAttribute);
          return problem == null ? Future.succeededFuture(new ClusterRuntime(vertx, manager, config, metrics))
              : vertx.close().transform(closed -> Future.failedFuture(new IllegalStateException(problem)));
        });
  }

  /** @return the clustered Vert.x instance */
  public Vertx vertx() {
    return vertx;
  }

  /** @return this node's id: the Vert.x node id of its member, carried by its presence entries */
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  /**
   * Data members only: a lite member (another Vert.x service joined to use the event bus, docs/event-bus.md)
   * holds no partitions and no sessions, so counting it would let the maintenance verticle believe it has the
   * nickname quorum on a side where Hazelcast's split-brain protection (which counts data members only) does
   * not, and would make {@code /health} report a cluster larger than the presence nodes.
   *
   * @return data members in the cluster as this member sees it; 0 once the member stopped
   */
  public int clusterSize() {
    return hazelcast.getLifecycleService().isRunning() ? HazelcastMemberDirectory.dataMembers(hazelcast).size() : 0;
  }

  /**
   * Occupied rooms whose occupancy records this member owns (primary copies only, so the sum over all nodes is the
   * cluster's number of occupied rooms). Hazelcast's local map statistics: computed on this member without a remote
   * call, so a metrics scrape may read it on an event loop.
   *
   * @return owned occupancy records; 0 once the member stopped
   */
  public long ownedOccupiedRooms() {
    return hazelcast.getLifecycleService().isRunning()
        ? hazelcast.getMap(ClusterNames.ROOM_MAP).getLocalMapStats().getOwnedEntryCount() : 0;
  }

  /** @return the data members and their session counts, for the {@code members} query */
  public HazelcastMemberDirectory memberDirectory() {
    return memberDirectory;
  }

  /** @return the presence map adapter */
  public PresenceStore presenceStore() {
    return presenceStore;
  }

  /** @return the nickname map adapter */
  public NicknameLeaseStore nicknameStore() {
    return nicknameStore;
  }

  /** @return the session-slot map adapter (per-user session count) */
  public SessionSlotStore slotStore() {
    return slotStore;
  }

  /** @return every map adapter, as the presence logic's ports */
  public PresenceStores stores() {
    return new PresenceStores(presenceStore, nicknameStore, slotStore, lastSeenStore, roomStore);
  }

  /** @return the event-bus channel */
  public PresenceChannel channel() {
    return channel;
  }

  /** @return the membership watcher */
  public MembershipWatcher membership() {
    return membership;
  }

  /**
   * Kills the Hazelcast member without telling the cluster (what a crash looks like to the others).
   * For fault tests; the node is unusable afterwards.
   */
  public void terminateMemberAbruptly() {
    hazelcast.getLifecycleService().terminate();
  }
}
