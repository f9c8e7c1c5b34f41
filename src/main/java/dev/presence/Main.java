package dev.presence;

import dev.presence.config.PresenceConfig;
import dev.presence.config.PresenceConfigLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the runnable jar: reads the {@code PRESENCE_*} environment, starts one node, and stops
 * it cleanly on SIGTERM/SIGINT (sessions closed with 1001, then the member leaves the cluster;
 * vertx-hazelcast turns Hazelcast's own shutdown hook off, so this hook is the one that runs).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /**
   * Starts a node; exits with status 1 if the configuration is invalid or the node cannot start.
   *
   * @param args ignored; configuration comes from the environment
   */
  public static void main(String[] args) {
    // Before any Hazelcast class loads, or its first lines go to java.util.logging.
    System.setProperty("hazelcast.logging.type", "slf4j");
    PresenceConfig config;
    try {
      config = PresenceConfigLoader.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      System.exit(1);
      return;
    }
    LOG.warn("*** NO AUTHENTICATION: hello.user is trusted as sent by the client. Do not expose this node"
        + " to untrusted clients. ***");
    PresenceNode node;
    try {
      node = PresenceNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("node failed to start", e);
      System.exit(1);
      return;
    }
    LOG.info("presence node {} listening on ws://{}:{}/ws (cluster '{}', {} members)", node.nodeId(),
        config.httpHost(), config.httpPort(), config.clusterName(), node.runtime().clusterSize());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: closing sessions with 1001 and leaving the cluster");
      try {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly: {}", e.toString());
      }
    }, "presence-shutdown"));
  }
}
