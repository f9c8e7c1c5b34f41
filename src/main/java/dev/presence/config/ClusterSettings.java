package dev.presence.config;

/**
 * How a node joins its cluster. Immutable; validated on construction.
 *
 * @param mode                 how members are discovered
 * @param expectedSize         the most data members the cluster may have ({@code PRESENCE_CLUSTER_SIZE}; on
 *                             Kubernetes the autoscaler's maximum): nickname changes need a majority of it
 *                             (Hazelcast split-brain protection), so a minority side cannot grant, and are
 *                             refused while the cluster has more members than this
 *                             ({@code cluster.BoundedSplitBrainProtection}); 1 means no protection (one member, development)
 * @param name                 Hazelcast cluster name; members with another name never join
 * @param hazelcastPort        first Hazelcast member port tried (auto-increments in local and tcp modes)
 * @param members              comma-separated TCP-IP members (host or host:port); local and tcp modes
 * @param hazelcastConfig      a Hazelcast XML file to load instead of the mode's bundled one, or {@code null}
 * @param host                 address Hazelcast and the clustered event bus bind to and advertise (on
 *                             Kubernetes: the pod IP)
 * @param eventBusPort         clustered event-bus port; 0 picks a free one (fine on one machine)
 * @param kubernetesDiscovery  DNS or API lookup (kubernetes mode)
 * @param kubernetesServiceDns FQDN of the headless member service (kubernetes mode, DNS lookup)
 * @param kubernetesServiceName name of the member service (kubernetes mode, API lookup)
 * @param kubernetesNamespace  namespace of that service, or {@code null} for the pod's own
 * @param eventBusTls          mutual TLS of the clustered event bus, or {@code null} for a plain event bus
 * @param partitionGroup       which members share a failure domain, so that a partition's backup is never on its
 *                             primary's machine ({@code PRESENCE_PARTITION_GROUP}; docs/consistency.md)
 */
public record ClusterSettings(
    ClusterMode mode,
    int expectedSize,
    String name,
    int hazelcastPort,
    String members,
    String hazelcastConfig,
    String host,
    int eventBusPort,
    KubernetesDiscovery kubernetesDiscovery,
    String kubernetesServiceDns,
    String kubernetesServiceName,
    String kubernetesNamespace,
    EventBusTls eventBusTls,
    PartitionGroup partitionGroup) {

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public ClusterSettings {
    PresenceConfig.requirePositive("PRESENCE_CLUSTER_SIZE", expectedSize);
    PresenceConfig.requireText("PRESENCE_CLUSTER_NAME", name);
    PresenceConfig.requirePort("PRESENCE_HZ_PORT", hazelcastPort, false);
    PresenceConfig.requirePort("PRESENCE_EVENTBUS_PORT", eventBusPort, true);
    PresenceConfig.requireText("PRESENCE_CLUSTER_HOST", host);
    if (mode != ClusterMode.KUBERNETES) {
      PresenceConfig.requireText("PRESENCE_HZ_MEMBERS", members);
    } else if (kubernetesDiscovery == KubernetesDiscovery.DNS) {
      PresenceConfig.requireText("PRESENCE_K8S_SERVICE_DNS", kubernetesServiceDns);
    } else {
      PresenceConfig.requireText("PRESENCE_K8S_SERVICE_NAME", kubernetesServiceName);
    }
    if (partitionGroup == null) {
      partitionGroup = PartitionGroup.NONE;
    }
    boolean discovered = partitionGroup.kind() == PartitionGroup.Kind.NODE
        || partitionGroup.kind() == PartitionGroup.Kind.ZONE;
    if (discovered && (mode != ClusterMode.KUBERNETES || kubernetesDiscovery != KubernetesDiscovery.API)) {
      // Only Hazelcast's Kubernetes API discovery fills in the node and zone; anywhere else every member would
      // read "unknown", form one group, and Hazelcast would pair members arbitrarily: no protection, silently.
      throw new IllegalArgumentException("PRESENCE_PARTITION_GROUP=" + partitionGroup.kind().name()
          .toLowerCase(java.util.Locale.ROOT) + " needs PRESENCE_CLUSTER_MODE=kubernetes with PRESENCE_K8S_DISCOVERY="
          + "api (Hazelcast learns the node and zone from the Kubernetes API); otherwise use "
          + "PRESENCE_PARTITION_GROUP=placement with PRESENCE_PLACEMENT_GROUP set to the machine's name");
    }
  }

  /** As the canonical constructor, without partition groups. */
  public ClusterSettings(ClusterMode mode, int expectedSize, String name, int hazelcastPort, String members,
      String hazelcastConfig, String host, int eventBusPort, KubernetesDiscovery kubernetesDiscovery,
      String kubernetesServiceDns, String kubernetesServiceName, String kubernetesNamespace,
      EventBusTls eventBusTls) {
    this(mode, expectedSize, name, hazelcastPort, members, hazelcastConfig, host, eventBusPort, kubernetesDiscovery,
        kubernetesServiceDns, kubernetesServiceName, kubernetesNamespace, eventBusTls, PartitionGroup.NONE);
  }

  /** As the canonical constructor, with a plain event bus (no {@link EventBusTls}). */
  public ClusterSettings(ClusterMode mode, int expectedSize, String name, int hazelcastPort, String members,
      String hazelcastConfig, String host, int eventBusPort, KubernetesDiscovery kubernetesDiscovery,
      String kubernetesServiceDns, String kubernetesServiceName, String kubernetesNamespace) {
    this(mode, expectedSize, name, hazelcastPort, members, hazelcastConfig, host, eventBusPort, kubernetesDiscovery,
        kubernetesServiceDns, kubernetesServiceName, kubernetesNamespace, null);
  }

  /**
   * The same settings with another event-bus TLS; used by tests.
   *
   * @param tls mutual TLS of the clustered event bus, or {@code null} for none
   * @return a copy
   */
  public ClusterSettings withEventBusTls(EventBusTls tls) {
    return new ClusterSettings(mode, expectedSize, name, hazelcastPort, members, hazelcastConfig, host, eventBusPort,
        kubernetesDiscovery, kubernetesServiceDns, kubernetesServiceName, kubernetesNamespace, tls, partitionGroup);
  }

  /**
   * The same settings with other partition groups; used by tests.
   *
   * @param group which members share a failure domain
   * @return a copy
   */
  public ClusterSettings withPartitionGroup(PartitionGroup group) {
    return new ClusterSettings(mode, expectedSize, name, hazelcastPort, members, hazelcastConfig, host, eventBusPort,
        kubernetesDiscovery, kubernetesServiceDns, kubernetesServiceName, kubernetesNamespace, eventBusTls, group);
  }

  /**
   * The quorum for nickname changes: a strict majority of the expected cluster size. 1 (no protection)
   * when the cluster is meant to have a single member.
   *
   * @return the minimum number of members a side needs to grant or change nickname leases
   */
  public int nicknameQuorum() {
    return expectedSize / 2 + 1;
  }

  /** @return the local-mode settings of one member on loopback (tests and the one-command run) */
  public static ClusterSettings local(String name, int hazelcastPort, String members) {
    return new ClusterSettings(ClusterMode.LOCAL, 1, name, hazelcastPort, members, null, "127.0.0.1", 0,
        KubernetesDiscovery.DNS, null, null, null);
  }
}
