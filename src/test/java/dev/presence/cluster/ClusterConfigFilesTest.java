package dev.presence.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.config.PartitionGroupConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.spi.partitiongroup.PartitionGroupMetaData;
import dev.presence.config.ClusterMode;
import dev.presence.config.ClusterSettings;
import dev.presence.config.KubernetesDiscovery;
import dev.presence.config.PartitionGroup;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Hazelcast file in cluster-config/ parses with Hazelcast's own XML builder (a broken file fails the
 * build), never enables multicast, and declares the maps the service and vertx-hazelcast need; each
 * mode's factory output joins the way the mode says.
 */
class ClusterConfigFilesTest {

  static Stream<Path> files() throws Exception {
    return Files.list(Path.of("cluster-config")).filter(p -> p.toString().endsWith(".xml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("files")
  void each_file_parses_with_hazelcasts_builder_keeps_multicast_off_and_declares_the_maps(Path file)
      throws Exception {
    Config config;
    try (InputStream in = Files.newInputStream(file)) {
      config = new XmlConfigBuilder(in).build();
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).as("multicast in %s", file).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).as("auto-detection in %s", file).isFalse();
    assertThat(config.getMapConfigs()).containsKeys(ClusterNames.PRESENCE_MAP, ClusterNames.NICKNAME_MAP,
        ClusterNames.SESSION_SLOT_MAP, "__vertx.haInfo", "__vertx.nodeInfo");
    assertThat(config.getMapConfig(ClusterNames.PRESENCE_MAP).getBackupCount()).isGreaterThanOrEqualTo(1);
    assertThat(config.getMapConfig(ClusterNames.NICKNAME_MAP).getBackupCount()).isGreaterThanOrEqualTo(1);
    assertThat(config.getMapConfig(ClusterNames.SESSION_SLOT_MAP).getBackupCount()).isGreaterThanOrEqualTo(1);
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void each_mode_has_a_bundled_file_in_cluster_config(ClusterMode mode) {
    assertThat(Path.of(mode.bundledConfig())).exists();
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void the_factory_joins_as_the_mode_says_and_never_by_multicast(ClusterMode mode) {
    ClusterSettings settings = new ClusterSettings(mode, 3, "blue", 5801, "10.0.0.1,10.0.0.2:5702", null,
        "10.0.0.1", 5710, KubernetesDiscovery.DNS, "presence-hz.ns.svc.cluster.local", null, null);

    Config config = HazelcastConfigFactory.build(settings);

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(config.getClusterName()).isEqualTo("blue");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    if (mode == ClusterMode.KUBERNETES) {
      assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
      assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
      assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("presence-hz.ns.svc.cluster.local");
    } else {
      assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
      assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
      assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5702");
      assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.1");
    }
  }

  @ParameterizedTest
  @EnumSource(value = KubernetesDiscovery.class)
  void kubernetes_discovery_by_dns_or_by_api_sets_what_hazelcast_reads(KubernetesDiscovery discovery) {
    ClusterSettings settings = new ClusterSettings(ClusterMode.KUBERNETES, 1, "blue", 5701, "", null, "10.0.0.1",
        5710, discovery, "presence-hz.ns.svc.cluster.local", "presence-hz", "ns");

    var kubernetes = HazelcastConfigFactory.build(settings).getNetworkConfig().getJoin().getKubernetesConfig();

    if (discovery == KubernetesDiscovery.DNS) {
      assertThat(kubernetes.getProperty("service-dns")).isEqualTo("presence-hz.ns.svc.cluster.local");
      assertThat(kubernetes.getProperty("service-name")).isNull();
    } else {
      assertThat(kubernetes.getProperty("service-dns")).isNull();
      assertThat(kubernetes.getProperty("service-name")).isEqualTo("presence-hz");
      assertThat(kubernetes.getProperty("namespace")).isEqualTo("ns");
    }
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void the_presence_map_of_every_mode_is_indexed_by_user_once(ClusterMode mode) {
    Config config = HazelcastConfigFactory.build(new ClusterSettings(mode, 1, "blue", 5801, "127.0.0.1", null,
        "127.0.0.1", 0, KubernetesDiscovery.DNS, "presence-hz.ns.svc.cluster.local", null, null));
    HazelcastConfigFactory.indexPresenceByUser(config); // a file that declares it already keeps one index

    assertThat(config.getMapConfig(ClusterNames.PRESENCE_MAP).getIndexConfigs())
        .filteredOn(index -> index.getAttributes().contains(ClusterNames.PRESENCE_USER_ATTRIBUTE))
        .singleElement().satisfies(index -> {
          assertThat(index.getType()).isEqualTo(IndexType.HASH);
          assertThat(index.getAttributes()).containsExactly(ClusterNames.PRESENCE_USER_ATTRIBUTE);
        });
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void no_map_of_ours_in_any_mode_serializes_each_written_value_again_for_json_metadata(ClusterMode mode) {
    Config config = HazelcastConfigFactory.build(new ClusterSettings(mode, 1, "blue", 5801, "127.0.0.1", null,
        "127.0.0.1", 0, KubernetesDiscovery.DNS, "presence-hz.ns.svc.cluster.local", null, null));

    assertThat(List.of(ClusterNames.PRESENCE_MAP, ClusterNames.NICKNAME_MAP, ClusterNames.SESSION_SLOT_MAP,
        ClusterNames.ROOM_MAP, ClusterNames.ROOM_USER_MAP, ClusterNames.LAST_SEEN_MAP, ClusterNames.REVOCATION_MAP))
        .allSatisfy(map -> assertThat(config.getMapConfig(map).getMetadataPolicy()).as(map)
            .isEqualTo(MetadataPolicy.OFF));
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void presence_entries_of_every_mode_are_kept_serialized_only_not_beside_a_deserialized_copy(ClusterMode mode) {
    Config config = HazelcastConfigFactory.build(new ClusterSettings(mode, 1, "blue", 5801, "127.0.0.1", null,
        "127.0.0.1", 0, KubernetesDiscovery.DNS, "presence-hz.ns.svc.cluster.local", null, null));

    assertThat(config.getMapConfig(ClusterNames.PRESENCE_MAP).getCacheDeserializedValues())
        .isEqualTo(com.hazelcast.config.CacheDeserializedValues.NEVER);
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void room_user_counts_of_every_mode_are_kept_as_objects_without_an_index_so_no_join_serializes_them(
      ClusterMode mode) {
    Config config = HazelcastConfigFactory.build(new ClusterSettings(mode, 1, "blue", 5801, "127.0.0.1", null,
        "127.0.0.1", 0, KubernetesDiscovery.DNS, "presence-hz.ns.svc.cluster.local", null, null));

    assertThat(config.getMapConfig(ClusterNames.ROOM_USER_MAP).getInMemoryFormat())
        .isEqualTo(com.hazelcast.config.InMemoryFormat.OBJECT);
    // Hazelcast clones (serializes) a record for every entry processor on an OBJECT map that has an index.
    assertThat(config.getMapConfig(ClusterNames.ROOM_USER_MAP).getIndexConfigs()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ClusterMode.class)
  void the_nickname_map_of_every_mode_is_indexed_by_the_holders_user_once(ClusterMode mode) {
    Config config = HazelcastConfigFactory.build(new ClusterSettings(mode, 1, "blue", 5801, "127.0.0.1", null,
        "127.0.0.1", 0, KubernetesDiscovery.DNS, "presence-hz.ns.svc.cluster.local", null, null));
    HazelcastConfigFactory.indexNicknamesByUser(config); // a file that declares it already keeps one index

    assertThat(config.getMapConfig(ClusterNames.NICKNAME_MAP).getIndexConfigs())
        .singleElement().satisfies(index -> {
          assertThat(index.getType()).isEqualTo(IndexType.HASH);
          assertThat(index.getAttributes()).containsExactly(ClusterNames.NICKNAME_USER_ATTRIBUTE);
        });
  }

  @Test
  void placement_groups_put_the_machines_name_where_hazelcasts_placement_aware_groups_read_it() {
    Config config = HazelcastConfigFactory.build(ClusterSettings.local("blue", 5801, "127.0.0.1")
        .withPartitionGroup(PartitionGroup.placement("node-7")));

    assertThat(config.getPartitionGroupConfig().isEnabled()).isTrue();
    assertThat(config.getPartitionGroupConfig().getGroupType())
        .isEqualTo(PartitionGroupConfig.MemberGroupType.PLACEMENT_AWARE);
    assertThat(config.getMemberAttributeConfig().getAttribute(PartitionGroupMetaData.PARTITION_GROUP_PLACEMENT))
        .isEqualTo("node-7");
  }

  @Test
  void without_groups_the_file_decides_and_the_bundled_files_have_none() {
    Config config = HazelcastConfigFactory.build(ClusterSettings.local("blue", 5801, "127.0.0.1"));

    assertThat(config.getPartitionGroupConfig().isEnabled()).isFalse();
  }

  @Test
  void a_member_whose_group_hazelcast_could_not_learn_is_named_as_a_problem_so_the_node_refuses_to_start() {
    PartitionGroup node = new PartitionGroup(PartitionGroup.Kind.NODE, null);

    assertThat(HazelcastConfigFactory.partitionGroupProblem(node, Map.of(
        PartitionGroupMetaData.PARTITION_GROUP_NODE, "unknown")::get)).contains("'unknown'", "placement");
    assertThat(HazelcastConfigFactory.partitionGroupProblem(node, Map.<String, String>of()::get)).contains("missing");
    assertThat(HazelcastConfigFactory.partitionGroupProblem(node, Map.of(
        PartitionGroupMetaData.PARTITION_GROUP_NODE, "worker-3")::get)).isNull();
    assertThat(HazelcastConfigFactory.partitionGroupProblem(PartitionGroup.placement("node-7"), Map.of(
        PartitionGroupMetaData.PARTITION_GROUP_PLACEMENT, "node-7")::get)).isNull();
    assertThat(HazelcastConfigFactory.partitionGroupProblem(PartitionGroup.NONE, Map.<String, String>of()::get))
        .isNull();
  }
}
