package dev.presence.faults;

import dev.presence.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Three (or more) node processes of the packaged jar, one Hazelcast cluster under a name no other run
 * uses, each on its own loopback address/ports. A node the scenario killed, drained or could not wake is
 * replaced by a fresh process on the same addresses, so the next scenario again starts from a complete
 * cluster. Test thread only.
 */
public final class JarCluster implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path jar;
  private final Path logDir;
  private final NodeListener listener;
  private final List<JarNode> nodes = new ArrayList<>();
  private final List<JarNode> retired = new ArrayList<>();
  private final List<NodeSpec> pending = new ArrayList<>();
  private final Map<JarNode, Long> logOffsets = new HashMap<>();

  private JarCluster(Path jar, Path logDir, NodeListener listener) {
    this.jar = jar;
    this.logDir = logDir;
    this.listener = listener;
  }

  /**
   * Starts one node per host (all at once) and waits until every one reports the full cluster;
   * {@code PRESENCE_CLUSTER_SIZE} is the number of hosts, no partition groups.
   *
   * @param hosts  loopback address of each node's Hazelcast member (the same address for all is fine)
   * @param timings heartbeat settings of every node
   * @return the running cluster
   */
  public static JarCluster start(Path jar, Path logDir, List<String> hosts, FaultTimings timings) {
    return start(jar, logDir, hosts, timings, NodeListener.PLAIN);
  }

  /**
   * As {@link #start(Path, Path, List, FaultTimings)}, every node's listener as {@code listener} says (with TLS:
   * {@code PRESENCE_TLS_CERT} and {@code _KEY} set to its pair).
   *
   * @return the running cluster
   */
  public static JarCluster start(Path jar, Path logDir, List<String> hosts, FaultTimings timings,
      NodeListener listener) {
    List<String> noMachines = java.util.Collections.nCopies(hosts.size(), null);
    return start(jar, logDir, hosts, noMachines, hosts.size(), hosts.size(), timings, listener);
  }

  /**
   * A cluster laid out as a deployment would be: every node knows every address ({@code PRESENCE_HZ_MEMBERS}) and
   * the configured size ({@code PRESENCE_CLUSTER_SIZE}), but only the first {@code initial} start now; the others
   * start at {@link #scaleOut()}, as an autoscaler would add them.
   *
   * @param hosts       loopback address of each node's Hazelcast member
   * @param machines    each node's machine (its partition group), or {@code null} entries for none
   * @param clusterSize PRESENCE_CLUSTER_SIZE of every node
   * @param initial     how many nodes (the first ones) start now
   * @return the running cluster of {@code initial} nodes
   */
  public static JarCluster start(Path jar, Path logDir, List<String> hosts, List<String> machines, int clusterSize,
      int initial, FaultTimings timings, NodeListener listener) {
    JarCluster cluster = new JarCluster(jar, logDir, listener);
    String name = "faults-" + UUID.randomUUID();
    List<int[]> ports = hosts.stream()
        .map(h -> new int[] {FreePorts.next("127.0.0.1"), FreePorts.next(h), FreePorts.next("127.0.0.1")}).toList();
    String members = java.util.stream.IntStream.range(0, hosts.size())
        .mapToObj(i -> hosts.get(i) + ":" + ports.get(i)[1]).collect(Collectors.joining(","));
    try {
      for (int i = 0; i < hosts.size(); i++) {
        NodeSpec spec = new NodeSpec("node-" + (i + 1), hosts.get(i), ports.get(i)[0], ports.get(i)[2],
            ports.get(i)[1], members, name, clusterSize, timings, listener, machines.get(i));
        if (i < initial) {
          cluster.nodes.add(JarNode.launch(jar, spec, logDir));
        } else {
          cluster.pending.add(spec);
        }
      }
      cluster.awaitComplete(START_TIMEOUT);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * After a scale-out, how long partitions are left to migrate before the scenario goes on: the StatefulSet's
   * {@code minReadySeconds} (k8s/base/statefulset.yaml), for the same reason. A member lost while partitions still
   * migrate to the new ones (a backup not yet copied) is the case docs/consistency.md leaves uncovered, and the
   * survivors' eviction query waits for the migrations to settle, stretching the ghost window past its bound.
   */
  static final Duration SETTLE_AFTER_SCALE_OUT = Duration.ofSeconds(10);

  /**
   * Starts the nodes not started yet (if any), waits until every node reports every member, then lets partitions
   * migrate for {@link #SETTLE_AFTER_SCALE_OUT}.
   */
  public void scaleOut() {
    if (pending.isEmpty()) {
      return;
    }
    pending.forEach(spec -> {
      JarNode node = JarNode.launch(jar, spec, logDir);
      nodes.add(node);
      logOffsets.put(node, 0L);
    });
    pending.clear();
    awaitComplete(START_TIMEOUT);
    try {
      Thread.sleep(SETTLE_AFTER_SCALE_OUT.toMillis()); // nothing outside the members tells when migrations end
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every node runs and reports every member. */
  public void awaitComplete(Duration atMost) {
    nodes.forEach(n -> n.awaitClusterSize(nodes.size(), atMost));
  }

  /** @return true if every node runs, none is paused, and each reports every member */
  public boolean isComplete() {
    return nodes.stream().allMatch(n -> n.isAlive() && !n.isPaused() && n.clusterSize() == nodes.size());
  }

  /** Kills node {@code i} (if still running), starts a fresh process with its settings, waits for the cluster. */
  public JarNode replace(int i) {
    return replace(List.of(i)).get(0);
  }

  /**
   * As {@link #replace(int)} for several nodes at once (a lost machine's): all are restarted before the wait, since
   * the cluster is complete only once every one of them is back.
   *
   * @return the fresh nodes, in the order of {@code indexes}
   */
  public List<JarNode> replace(List<Integer> indexes) {
    List<JarNode> fresh = new ArrayList<>();
    for (int i : indexes) {
      JarNode old = nodes.get(i);
      old.close();
      retired.add(old);
      JarNode node = JarNode.launch(jar, old.spec(), logDir);
      nodes.set(i, node);
      logOffsets.put(node, 0L);
      fresh.add(node);
    }
    awaitComplete(START_TIMEOUT);
    return fresh;
  }

  /** Remembers where each node's log ends, so {@link #errorLinesSinceMark} reads only a scenario's part. */
  public void markLogs() {
    nodes.forEach(n -> logOffsets.put(n, n.logOffset()));
  }

  /** @return per node name, ERROR lines logged since {@link #markLogs()} (by current and replaced nodes) */
  public Map<JarNode, List<String>> errorLinesSinceMark() {
    Map<JarNode, List<String>> errors = new HashMap<>();
    logOffsets.forEach((node, offset) -> errors.put(node, node.errorLinesSince(offset)));
    return errors;
  }

  /** @return how the harness reaches the nodes' listener (plain or TLS) */
  public NodeListener listener() {
    return listener;
  }

  /** @return node {@code i} */
  public JarNode node(int i) {
    return nodes.get(i);
  }

  /** @return the nodes, in order */
  public List<JarNode> nodes() {
    return List.copyOf(nodes);
  }

  /** @return HTTP ports of every node except {@code i} */
  public List<Integer> portsExcept(int i) {
    List<Integer> ports = new ArrayList<>();
    for (int j = 0; j < nodes.size(); j++) {
      if (j != i) {
        ports.add(nodes.get(j).httpPort());
      }
    }
    return ports;
  }

  /** @return HTTP ports of every node */
  public List<Integer> ports() {
    return nodes.stream().map(JarNode::httpPort).toList();
  }

  /** Stops every process it started (SIGKILL; a paused one too). */
  @Override
  public void close() {
    nodes.forEach(JarNode::close);
    retired.forEach(JarNode::close);
  }
}
