package dev.presence.cluster;

import com.hazelcast.config.AttributeConfig;
import com.hazelcast.config.CacheDeserializedValues;
import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.config.PartitionGroupConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.spi.partitiongroup.PartitionGroupMetaData;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.presence.config.ClusterMode;
import dev.presence.config.ClusterSettings;
import dev.presence.config.KubernetesDiscovery;
import dev.presence.config.PartitionGroup;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the Hazelcast member configuration: the XML of the cluster mode ({@code cluster-config/}, bundled
 * in the jar) or the file named by {@code PRESENCE_HZ_CONFIG}, then the node's own settings applied in
 * code (cluster name, port, member list or Kubernetes discovery, bind address). Settings go in code
 * because Hazelcast's XML loader only substitutes system properties, not environment variables.
 *
 * <p>Whatever the file says, multicast and auto-detection stay off: a node must never join a stranger's
 * cluster by discovering it on the network.
 */
public final class HazelcastConfigFactory {

  private HazelcastConfigFactory() {
  }

  /**
   * Loads and adapts the configuration. Call once at start, from any thread (reads files).
   *
   * @param settings the node's cluster settings
   * @return the Hazelcast configuration for this member
   * @throws UncheckedIOException if the named file does not exist
   * @throws com.hazelcast.config.InvalidConfigurationException if the XML is invalid
   */
  public static Config build(ClusterSettings settings) {
    Config config = load(settings);
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (settings.mode() == ClusterMode.KUBERNETES) {
      joinByKubernetes(config, settings);
    } else {
      joinByTcpIp(config, settings);
    }
    protectAgainstSplitBrain(config, settings);
    groupPartitions(config, settings.partitionGroup());
    indexPresenceByUser(config);
    indexPresenceByRenewalAndNode(config);
    indexNicknamesByUser(config);
    indexRooms(config);
    skipJsonMetadata(config);
    keepEntriesSerializedOnly(config);
    ClusterSerializers.register(config.getSerializationConfig());
    filterJavaSerialization(config);
    return config;
  }

  /**
   * Keeps a partition's backup off its primary's machine (docs/consistency.md, "One machine's loss"): Hazelcast
   * never places two replicas of a partition in one member group, so with groups by machine the loss of every member
   * on one machine (a Kubernetes node holding two pods) leaves each partition a replica, and every lease survives.
   * Without groups a backup may sit on the same machine as its primary, and such a loss drops the lease outright
   * (no grace), freeing a nickname a live client still holds. {@code NONE} leaves whatever the XML file says (a
   * {@code PRESENCE_HZ_CONFIG} file may define its own groups).
   *
   * <p>{@code PLACEMENT} writes this member's group into its {@code hazelcast.partition.group.placement} attribute,
   * which Hazelcast's own discovery never overwrites (its Kubernetes plugin does overwrite the node and zone
   * attributes, with "unknown" under DNS discovery); {@code NODE} and {@code ZONE} leave the attribute to that plugin
   * (API discovery only, checked by {@code ClusterSettings}).
   */
  static void groupPartitions(Config config, PartitionGroup group) {
    PartitionGroupConfig.MemberGroupType type = switch (group.kind()) {
      case NONE -> null;
      case NODE -> PartitionGroupConfig.MemberGroupType.NODE_AWARE;
      case ZONE -> PartitionGroupConfig.MemberGroupType.ZONE_AWARE;
      case PLACEMENT -> PartitionGroupConfig.MemberGroupType.PLACEMENT_AWARE;
    };
    if (type == null) {
      return;
    }
    config.getPartitionGroupConfig().setEnabled(true).setGroupType(type);
    if (group.kind() == PartitionGroup.Kind.PLACEMENT) {
      config.getMemberAttributeConfig().setAttribute(PartitionGroupMetaData.PARTITION_GROUP_PLACEMENT,
          group.placement());
    }
  }

  /**
   * Whether this member really carries the group its partition grouping reads. Hazelcast's Kubernetes plugin writes
   * "unknown" when it cannot read the node or zone (no RBAC for it); every member would then form one group, which
   * Hazelcast splits in two arbitrarily, and nothing would say that one machine's loss can again lose leases. So a
   * node whose group is unknown refuses to start instead. Call once after the member started, from any thread.
   *
   * @param group      the configured grouping
   * @param attributes this member's attributes by name ({@code Member::getAttribute})
   * @return why the grouping does not hold on this member, or {@code null} if it does (or none is configured)
   */
  static String partitionGroupProblem(PartitionGroup group, java.util.function.UnaryOperator<String> attributes) {
    String attribute = switch (group.kind()) {
      case NONE -> null;
      case NODE -> PartitionGroupMetaData.PARTITION_GROUP_NODE;
      case ZONE -> PartitionGroupMetaData.PARTITION_GROUP_ZONE;
      case PLACEMENT -> PartitionGroupMetaData.PARTITION_GROUP_PLACEMENT;
    };
    if (attribute == null) {
      return null;
    }
    String value = attributes.apply(attribute);
    if (value != null && !value.isBlank() && !"unknown".equals(value)) {
      return null;
    }
    return "PRESENCE_PARTITION_GROUP=" + group.kind().name().toLowerCase(java.util.Locale.ROOT) + " but this member's "
        + attribute + " is " + (value == null ? "missing" : "'" + value + "'") + ": Hazelcast's Kubernetes discovery "
        + "could not read it (the node needs get on its pod; the zone needs get on nodes, a ClusterRole), so the "
        + "members cannot be grouped by machine; grant the access or use PRESENCE_PARTITION_GROUP=placement with "
        + "PRESENCE_PLACEMENT_GROUP (k8s/README.md)";
  }

  /**
   * Turns on Hazelcast's Java serialization filter (Reference Manual, "Untrusted Deserialization Protection").
   * The nodes put nothing Java-serialized in their maps (custom serializers, {@link ClusterSerializers}), but
   * any process that reaches port 5701 can connect as a client or member and put a {@code Serializable} value
   * whose {@code readObject} runs code (a deserialization gadget) wherever it is read: in a node's query, entry
   * processor or {@code get}. With the filter, such a class is refused before it is instantiated; the operation
   * that met it fails, the node goes on. Only Hazelcast's defaults are allowed ({@code com.hazelcast.} and the
   * JDK's types, minus Hazelcast's list of known gadget classes): nothing of this project's, nor of Vert.x's
   * cluster manager (which writes {@code DataSerializable}), travels Java-serialized, and our entry processors
   * throw nothing. Set in code, so a {@code PRESENCE_HZ_CONFIG} file cannot leave it out.
   */
  private static void filterJavaSerialization(Config config) {
    config.getSerializationConfig().setJavaSerializationFilterConfig(
        new JavaSerializationFilterConfig().setDefaultsDisabled(false));
  }

  /**
   * The configuration for another Vert.x application joining the presence cluster (docs/event-bus.md): the
   * same join settings and serializers as a presence node, as a Hazelcast <em>lite member</em>, which owns no
   * partitions. A data member would receive partitions (and backups) of the presence and nickname maps; an
   * application without our serializers and entry processors, or one restarted often, would then endanger
   * them. Lite members are not counted by the nickname quorum (Hazelcast 5.3's split-brain protection counts
   * data members only: {@code SplitBrainProtectionServiceImpl} updates it with {@code DATA_MEMBER_SELECTOR}),
   * nor by {@link ClusterRuntime#clusterSize()}.
   *
   * @param settings the cluster settings of the presence nodes, with this application's own host and port
   * @return the lite-member configuration to pass to {@code new HazelcastClusterManager(config)}
   */
  public static Config liteMember(ClusterSettings settings) {
    return build(settings).setLiteMember(true);
  }

  /**
   * A hash index on the presence entries' user, so that a subscription's snapshot ({@code findByUsers}: one
   * {@code in} query for up to 1,000 users) looks its users up instead of scanning and deserializing every entry of
   * every partition. Added in code rather than in the XML files, so that a file named by {@code PRESENCE_HZ_CONFIG}
   * gets it too; one already declared there is kept. Every write of an entry updates the index (a map lookup on
   * the partition thread, for a value that rarely changes), a small price next to the scans it saves.
   */
  static void indexPresenceByUser(Config config) {
    addIndex(config, ClusterNames.PRESENCE_MAP, IndexType.HASH, ClusterNames.PRESENCE_USER_ATTRIBUTE);
  }

  /**
   * A sorted index on the presence entries' last renewal, and a hash index on their node, so that the stale sweep
   * (every node, every half renewal period: a range query, {@code lastRenewedAt < bound}) and member loss (the
   * lost node's entries) read only the entries they want. Without them each sweep deserialized and tested every
   * entry of every partition, rooms included: with 19,000 sessions held, two full scans of the map every 5 s, work
   * that grew with sessions × rooms, against issue #13's rule that holding cost must not. The price: each renewal
   * moves its entry within the sorted index (a skip-list removal and insertion on the partition thread, in the same
   * write that already updates the other indexes). Added in code for the same reason as {@link #indexPresenceByUser}.
   */
  static void indexPresenceByRenewalAndNode(Config config) {
    addIndex(config, ClusterNames.PRESENCE_MAP, IndexType.SORTED, ClusterNames.PRESENCE_RENEWED_ATTRIBUTE);
    addIndex(config, ClusterNames.PRESENCE_MAP, IndexType.HASH, ClusterNames.PRESENCE_NODE_ATTRIBUTE);
  }

  /**
   * A hash index on the nickname leases' user, so that the grace-lease cap ({@code findByUser} after an end puts a
   * nickname in grace) looks the user's few leases up instead of scanning every lease of the cluster at every
   * abnormal end. Added in code for the same reason as {@link #indexPresenceByUser}.
   */
  static void indexNicknamesByUser(Config config) {
    addIndex(config, ClusterNames.NICKNAME_MAP, IndexType.HASH, ClusterNames.NICKNAME_USER_ATTRIBUTE);
  }

  /** Adds the index unless the configuration declares one on that attribute already (of any type). */
  private static void addIndex(Config config, String map, IndexType type, String attribute) {
    MapConfig mapConfig = config.getMapConfig(map);
    boolean declared = mapConfig.getIndexConfigs().stream()
        .anyMatch(index -> index.getAttributes().equals(List.of(attribute)));
    if (!declared) {
      mapConfig.addIndexConfig(new IndexConfig(type, attribute));
    }
  }

  /**
   * A member counts toward the nickname quorum only if it was heard from (a Hazelcast heartbeat, sent every
   * 1 s by the bundled configs) within this many ms: Hazelcast's recently-active split-brain protection. A
   * member-count rule would keep granting on a cut-off member until its failure detector removes the others
   * (5 s); this one stops within about 2 s of the cut, before the other side can remove the member (5 s) and
   * hand on a nickname granted there. The order of the two times is the rule (docs/consistency.md).
   */
  public static final long QUORUM_HEARTBEAT_TOLERANCE_MS = 2_000;

  /** Name of the split-brain protection rule guarding the nickname map. */
  static final String NICKNAME_QUORUM = "presence-nickname-quorum";

  /**
   * Nickname changes need a majority of the expected members, so a minority side refuses instead of
   * granting a duplicate; presence (who is online) and the session count per user stay available on both
   * sides. After a split heals,
   * presence entries of the merging (smaller) side are dropped (its node re-checks its sessions and closes
   * those the majority evicted) and nickname leases merge by the higher fencing token.
   */
  private static void protectAgainstSplitBrain(Config config, ClusterSettings settings) {
    int quorum = settings.nicknameQuorum();
    MapConfig nicknames = config.getMapConfig(ClusterNames.NICKNAME_MAP);
    if (quorum > 1) {
      config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(NICKNAME_QUORUM, true, quorum)
          .setFunctionImplementation(new BoundedSplitBrainProtection(quorum, (int) QUORUM_HEARTBEAT_TOLERANCE_MS,
              settings.expectedSize()))
          .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
      nicknames.setSplitBrainProtectionName(NICKNAME_QUORUM);
    }
    nicknames.getMergePolicyConfig().setPolicy(NickLeaseMergePolicy.class.getName());
    config.getMapConfig(ClusterNames.PRESENCE_MAP).getMergePolicyConfig()
        .setPolicy(DiscardMergePolicy.class.getName());
    // Session slots follow their presence entries: the merging side's sessions are closed (4002) and rejoin,
    // so its slot counts are dropped with them rather than added to the majority's.
    config.getMapConfig(ClusterNames.SESSION_SLOT_MAP).getMergePolicyConfig()
        .setPolicy(DiscardMergePolicy.class.getName());
    // Last seen: both sides' records are true facts; the later one wins (the processor keeps the later time too).
    // (LatestUpdateMergePolicy needs per-entry statistics for the update times.)
    MapConfig lastSeen = config.getMapConfig(ClusterNames.LAST_SEEN_MAP).setPerEntryStatsEnabled(true);
    lastSeen.getMergePolicyConfig().setPolicy(LatestUpdateMergePolicy.class.getName());
    // Heal a split brain within seconds, not after Hazelcast's default 300 s.
    setIfAbsent(config, "hazelcast.merge.first.run.delay.seconds", "10");
    setIfAbsent(config, "hazelcast.merge.next.run.delay.seconds", "10");
  }

  /**
   * Room lookups are indexed reads, never scans (issue #13): a hash index on the presence entries' room names (the
   * {@link RoomsExtractor} attribute) answers "who is in room R", and a sorted index on the occupancy map's keys
   * answers "rooms whose name starts with P" as a range. After a healed split the occupancy records of the merging
   * side are added only for rooms the majority has no record of; the counters are then repaired from the entries
   * (docs/consistency.md, "Rooms").
   */
  private static void indexRooms(Config config) {
    MapConfig presence = config.getMapConfig(ClusterNames.PRESENCE_MAP);
    presence.addAttributeConfig(new AttributeConfig(RoomsExtractor.ATTRIBUTE, RoomsExtractor.class.getName()));
    addIndex(config, ClusterNames.PRESENCE_MAP, IndexType.HASH, RoomsExtractor.ATTRIBUTE);
    MapConfig rooms = config.getMapConfig(ClusterNames.ROOM_MAP);
    rooms.addIndexConfig(new IndexConfig(IndexType.SORTED, "__key"));
    rooms.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
    MapConfig userCounts = config.getMapConfig(ClusterNames.ROOM_USER_MAP);
    userCounts.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
    // Objects, not bytes: a join or leave replaces a room's user counts without serializing them (RoomUserCounts).
    userCounts.setInMemoryFormat(InMemoryFormat.OBJECT);
  }

  /**
   * Turns off Hazelcast's JSON metadata on every map of ours. With the default policy ({@code CREATE_ON_UPDATE})
   * each write of an entry serializes the new value a second time, only to learn whether it is a
   * {@code HazelcastJsonValue} (none of ours is): a renewal batch or a room join paid that copy on the partition
   * thread for every entry (JFR of the {@code rooms} load scenario, load-tests/README.md). Metadata only speeds up
   * queries over JSON values, which this service never runs. Set in code, so a {@code PRESENCE_HZ_CONFIG} file gets
   * it too.
   */
  static void skipJsonMetadata(Config config) {
    for (String map : List.of(ClusterNames.PRESENCE_MAP, ClusterNames.NICKNAME_MAP, ClusterNames.SESSION_SLOT_MAP,
        ClusterNames.ROOM_MAP, ClusterNames.ROOM_USER_MAP, ClusterNames.LAST_SEEN_MAP, ClusterNames.REVOCATION_MAP)) {
      config.getMapConfig(map).setMetadataPolicy(MetadataPolicy.OFF);
    }
  }

  /**
   * The presence map keeps its entries in serialized form only ({@code cache-deserialized-values} NEVER). With the
   * default ({@code INDEX_ONLY}) every record that the room index had read also kept a deserialized copy of the
   * entry, with its rooms, next to its bytes, for as long as it lived: a second copy of every session's rooms on the
   * node that owns it (load-tests README, "rooms"). The copy only spares a deserialization per write of the entry
   * (a renewal, a join), which the write serializes anyway. Set in code, so a {@code PRESENCE_HZ_CONFIG} file gets it
   * too.
   */
  static void keepEntriesSerializedOnly(Config config) {
    config.getMapConfig(ClusterNames.PRESENCE_MAP).setCacheDeserializedValues(CacheDeserializedValues.NEVER);
  }

  private static void setIfAbsent(Config config, String property, String value) {
    if (config.getProperty(property) == null) {
      config.setProperty(property, value);
    }
  }

  private static void joinByTcpIp(Config config, ClusterSettings settings) {
    // Bind to the configured address only; with bind-any, members on one host cannot be told apart.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPort(settings.hazelcastPort()).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).clear().addInterface(settings.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getKubernetesConfig().setEnabled(false);
    TcpIpConfig tcpIp = join.getTcpIpConfig().setEnabled(true);
    tcpIp.setMembers(Arrays.stream(settings.members().split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  private static void joinByKubernetes(Config config, ClusterSettings settings) {
    // A fixed port: the headless service and the pods' container ports name it.
    config.getNetworkConfig().setPort(settings.hazelcastPort()).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getTcpIpConfig().setEnabled(false);
    KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
    kubernetes.getProperties().clear();
    if (settings.kubernetesDiscovery() == KubernetesDiscovery.DNS) {
      kubernetes.setProperty("service-dns", settings.kubernetesServiceDns());
    } else {
      kubernetes.setProperty("service-name", settings.kubernetesServiceName());
      if (settings.kubernetesNamespace() != null) {
        kubernetes.setProperty("namespace", settings.kubernetesNamespace());
      }
    }
    kubernetes.setProperty("service-port", String.valueOf(settings.hazelcastPort()));
  }

  private static Config load(ClusterSettings settings) {
    String file = settings.hazelcastConfig();
    if (file == null || file.isBlank()) {
      return new ClasspathXmlConfig(settings.mode().bundledConfig());
    }
    try {
      return new FileSystemXmlConfig(file);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("PRESENCE_HZ_CONFIG names a file that does not exist: " + file, e);
    }
  }
}
