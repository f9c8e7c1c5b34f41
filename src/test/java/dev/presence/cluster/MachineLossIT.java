package dev.presence.cluster;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.presence.config.ClusterSettings;
import dev.presence.config.PartitionGroup;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.testing.ErrorLogRecorder;
import dev.presence.testing.FreePorts;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One machine's loss loses no lease (docs/consistency.md, "One machine's loss"): four real members in this JVM, two
 * "machines" of two members each ({@code PRESENCE_PARTITION_GROUP=placement}, the machine's name in
 * {@code PRESENCE_PLACEMENT_GROUP}), nickname leases written through the store, then both members of one machine
 * terminated at the same instant (no graceful leave, no migration: what a Kubernetes node's death does to its two
 * pods). Every lease must still be on the survivors, held by the same session with the same fencing token. The
 * control runs the same kill without groups and shows why the groups are needed: some partitions had their primary
 * and their only backup on the two killed members, and their leases are simply gone.
 */
class MachineLossIT {

  private static final int LEASES = 300;
  private static final long LEASE_TTL_MS = 600_000;

  private final List<HazelcastInstance> members = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ErrorLogRecorder.clear();
  }

  @AfterEach
  void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void both_members_of_one_machine_die_at_once_and_every_lease_survives_with_its_holder() {
    startMembers(List.of(PartitionGroup.placement("machine-a"), PartitionGroup.placement("machine-a"),
        PartitionGroup.placement("machine-b"), PartitionGroup.placement("machine-b")));
    HazelcastInstance survivor = members.get(2);
    Map<String, NickLease> written = writeLeases(survivor);

    killAtOnce(members.get(0), members.get(1));

    Map<String, NickLease> left = leasesOnSurvivors(survivor);
    assertThat(left.keySet()).as("leases still in the cluster").containsExactlyInAnyOrderElementsOf(written.keySet());
    written.forEach((key, lease) -> {
      assertThat(left.get(key).holder()).as(key + ": holder").isEqualTo(lease.holder());
      assertThat(left.get(key).fencingToken()).as(key + ": fencing token").isEqualTo(lease.fencingToken());
    });
    assertThat(ErrorLogRecorder.errors()).as("ERROR lines").isEmpty();
  }

  @Test
  void without_groups_the_same_kill_loses_the_leases_whose_primary_and_backup_shared_the_machine() {
    startMembers(List.of(PartitionGroup.NONE, PartitionGroup.NONE, PartitionGroup.NONE, PartitionGroup.NONE));
    HazelcastInstance survivor = members.get(2);
    Map<String, NickLease> written = writeLeases(survivor);

    killAtOnce(members.get(0), members.get(1));

    // About one partition in six has both replicas on the two killed members (2 of 4, backup-count 1): ~50 of 300.
    Map<String, NickLease> left = leasesOnSurvivors(survivor);
    assertThat(written.size() - left.size()).as("leases lost with the machine").isPositive();
  }

  /** Starts one member per group entry, every one listing all the others, and waits until partitions are safe. */
  private void startMembers(List<PartitionGroup> groups) {
    String name = "machine-loss-" + UUID.randomUUID();
    List<Integer> ports = groups.stream().map(g -> FreePorts.next()).toList();
    String list = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<CompletableFuture<HazelcastInstance>> starting = IntStream.range(0, groups.size())
        .mapToObj(i -> {
          Config config = HazelcastConfigFactory.build(
              ClusterSettings.local(name, ports.get(i), list).withPartitionGroup(groups.get(i)));
          config.setProperty("hazelcast.wait.seconds.before.join", "0");
          return CompletableFuture.supplyAsync(() -> Hazelcast.newHazelcastInstance(config));
        }).toList();
    starting.forEach(s -> members.add(s.join()));
    Awaitility.await("every member sees the cluster, partitions migrated and backed up")
        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == groups.size()
            && m.getPartitionService().isClusterSafe()));
  }

  /** Claims {@value #LEASES} nicknames through the store on {@code member}; backups are written before it answers. */
  private Map<String, NickLease> writeLeases(HazelcastInstance member) {
    HazelcastNicknameLeaseStore store = new HazelcastNicknameLeaseStore(vertx, member, 60_000,
        StoreOperationCounter.NONE);
    long now = System.currentTimeMillis();
    for (int i = 0; i < LEASES; i++) {
      String key = "nick-" + i;
      NickHolder holder = new NickHolder("session-" + i, "user-" + i, "node-" + (i % 4));
      call(vertx, () -> store.acquire(key, key, holder, now, LEASE_TTL_MS));
    }
    IMap<String, NickLease> map = member.getMap(ClusterNames.NICKNAME_MAP);
    return Map.copyOf(map.getAll(map.keySet()));
  }

  /** Terminates both members from two threads at the same moment, as a machine's power cut would. */
  private void killAtOnce(HazelcastInstance first, HazelcastInstance second) {
    CompletableFuture<Void> a = CompletableFuture.runAsync(() -> first.getLifecycleService().terminate());
    CompletableFuture<Void> b = CompletableFuture.runAsync(() -> second.getLifecycleService().terminate());
    CompletableFuture.allOf(a, b).join();
    members.remove(first);
    members.remove(second);
    Awaitility.await("the survivors removed the dead machine and promoted its backups")
        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == members.size()
            && m.getPartitionService().isClusterSafe()));
  }

  private static Map<String, NickLease> leasesOnSurvivors(HazelcastInstance survivor) {
    IMap<String, NickLease> map = survivor.getMap(ClusterNames.NICKNAME_MAP);
    return Map.copyOf(map.getAll(map.keySet()));
  }
}
