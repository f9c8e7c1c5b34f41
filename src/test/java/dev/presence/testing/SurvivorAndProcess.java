package dev.presence.testing;

import dev.presence.PresenceNode;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A two-member cluster for fault tests that stop a node from outside: one node in this JVM (the survivor,
 * inspected directly) and one in its own process (killed or terminated by the test). Call from the test
 * thread (blocks).
 */
public final class SurvivorAndProcess implements AutoCloseable {

  private final PresenceNode survivor;
  private final NodeProcess process;

  private SurvivorAndProcess(PresenceNode survivor, NodeProcess process) {
    this.survivor = survivor;
    this.process = process;
  }

  /**
   * Starts both and waits until the process sees a cluster of two.
   *
   * @param timings heartbeat, timeout, grace and hello timings of both nodes
   * @return the pair
   */
  public static SurvivorAndProcess start(TestCluster.Timings timings) throws Exception {
    String cluster = "test-" + UUID.randomUUID();
    int hzProcess = FreePorts.next();
    int hzSurvivor = FreePorts.next();
    String members = "127.0.0.1:" + hzProcess + ",127.0.0.1:" + hzSurvivor;
    PresenceNode survivor = PresenceNode.start(
            TestCluster.config(cluster, FreePorts.next(), hzSurvivor, members, timings))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      return new SurvivorAndProcess(survivor,
          NodeProcess.start(TestCluster.config(cluster, FreePorts.next(), hzProcess, members, timings), 2));
    } catch (Exception e) {
      survivor.stop();
      throw e;
    }
  }

  /** @return the node in this JVM */
  public PresenceNode survivor() {
    return survivor;
  }

  /** @return the survivor's HTTP port (public listener) */
  public int survivorPort() {
    return survivor.config().httpPort();
  }

  /** @return the survivor's admin port (read API) */
  public int survivorAdminPort() {
    return survivor.adminPort();
  }

  /** @return the node process */
  public NodeProcess process() {
    return process;
  }

  /** @return the process's HTTP port */
  public int processPort() {
    return process.httpPort();
  }

  @Override
  public void close() throws Exception {
    process.close();
    survivor.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
