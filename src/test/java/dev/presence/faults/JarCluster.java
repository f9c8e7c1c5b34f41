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
  private final Map<JarNode, Long> logOffsets = new HashMap<>();

  private JarCluster(Path jar, Path logDir, NodeListener listener) {
    this.jar = jar;
    this.logDir = logDir;
    this.listener = listener;
  }

  /**
   * Starts one node per host (all at once) and waits until every one reports the full cluster.
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
    JarCluster cluster = new JarCluster(jar, logDir, listener);
    String name = "faults-" + UUID.randomUUID();
    List<int[]> ports = hosts.stream()
        .map(h -> new int[] {FreePorts.next("127.0.0.1"), FreePorts.next(h), FreePorts.next("127.0.0.1")}).toList();
    String members = java.util.stream.IntStream.range(0, hosts.size())
        .mapToObj(i -> hosts.get(i) + ":" + ports.get(i)[1]).collect(Collectors.joining(","));
    try {
      for (int i = 0; i < hosts.size(); i++) {
        NodeSpec spec = new NodeSpec("node-" + (i + 1), hosts.get(i), ports.get(i)[0], ports.get(i)[2],
            ports.get(i)[1], members, name, hosts.size(), timings, listener);
        cluster.nodes.add(JarNode.launch(jar, spec, logDir));
      }
      cluster.awaitComplete(START_TIMEOUT);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
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
    JarNode old = nodes.get(i);
    old.close();
    retired.add(old);
    JarNode fresh = JarNode.launch(jar, old.spec(), logDir);
    nodes.set(i, fresh);
    logOffsets.put(fresh, 0L);
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
