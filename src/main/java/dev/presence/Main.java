package dev.presence;

import dev.presence.config.AuthMode;
import dev.presence.config.PresenceConfig;
import dev.presence.config.PresenceConfigLoader;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the runnable jar: loads the configuration (defaults &lt; {@code --conf FILE} or
 * {@code PRESENCE_CONFIG} &lt; {@code PRESENCE_*} environment), starts one node, and drains it on
 * SIGTERM/SIGINT within {@code PRESENCE_DRAIN_TIMEOUT_MS} (vertx-hazelcast turns Hazelcast's own shutdown
 * hook off, so this hook is the one that runs).
 */
public final class Main {

  static {
    // Before any Hazelcast class loads, or its first lines go to java.util.logging.
    System.setProperty("hazelcast.logging.type", "slf4j");
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /**
   * Starts a node; exits with status 1 if the configuration is invalid or the node cannot start.
   *
   * @param args optionally {@code --conf FILE} (a JSON file keyed by the environment variables' names)
   */
  public static void main(String[] args) {
    PresenceConfig config = loadConfig(confArgument(args));
    if (config.auth().mode() == AuthMode.NONE) {
      LOG.warn("*** PRESENCE_AUTH=none: NO AUTHENTICATION. hello.user is trusted as sent by the client, and any"
          + " client can claim to be any user. Development only; do not expose this node to untrusted clients. ***");
    } else {
      LOG.info("clients authenticate with JWT access tokens ({}, issuer {}, audience {}{}, exp required); allowed"
          + " origins: {}",
          config.auth().jwtSecret() != null ? "HS256" : config.auth().jwksUrl() != null
              ? "keys from " + config.auth().jwksUrl() : config.auth().jwtAlgorithm(),
          config.auth().issuer(), config.auth().audience(),
          config.auth().tokenType() == null ? "" : ", typ " + config.auth().tokenType(),
          config.auth().allowedOrigins().isEmpty() ? "any" : config.auth().allowedOrigins());
    }
    PresenceNode node;
    try {
      node = PresenceNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.error("node failed to start: {}", cause.getMessage(), cause);
      System.exit(1);
      return;
    }
    LOG.info("presence node {} listening on {}://{}:{}/ws (cluster '{}' in {} mode, {} members)", node.nodeId(),
        config.tls().enabled() ? "wss" : "ws", config.httpHost(), config.httpPort(), config.cluster().name(),
        config.cluster().mode().name().toLowerCase(java.util.Locale.ROOT), node.runtime().clusterSize());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drain(node, config), "presence-drain"));
  }

  private static void drain(PresenceNode node, PresenceConfig config) {
    LOG.info("draining: readiness off, sessions closed with 1001, then leaving the cluster (at most {} ms)",
        config.drainTimeoutMs());
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(config.drainTimeoutMs(), TimeUnit.MILLISECONDS);
      LOG.info("drained");
    } catch (Exception e) {
      LOG.warn("drain did not finish within {} ms: {}", config.drainTimeoutMs(), e.toString());
    }
  }

  private static String confArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if ("--conf".equals(args[i]) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--conf=")) {
        return args[i].substring("--conf=".length());
      }
    }
    return null;
  }

  private static PresenceConfig loadConfig(String file) {
    Vertx vertx = Vertx.vertx();
    try {
      return PresenceConfigLoader.load(vertx, file).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.err.println("invalid configuration: " + e.getCause().getMessage());
      System.exit(1);
      return null;
    } catch (Exception e) {
      System.err.println("could not load the configuration: " + e);
      System.exit(1);
      return null;
    } finally {
      vertx.close();
    }
  }
}
