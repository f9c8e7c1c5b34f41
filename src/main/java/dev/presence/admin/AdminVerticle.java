package dev.presence.admin;

import dev.presence.config.AdminSettings;
import dev.presence.config.AuthMode;
import dev.presence.transport.NodeServices;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's internal listener ({@code PRESENCE_ADMIN_HOST}:{@code PRESENCE_ADMIN_PORT}, plain HTTP): health
 * probes, Prometheus metrics and the read API ({@link HttpApi}), kept off the public {@code /ws} port so that a
 * client of the service never reaches them (docs/security.md, "What is exposed where"). One instance per node: probes,
 * scrapes and operators' reads are few, and one event loop answers them without touching the session loops.
 *
 * <p>Threading: every handler runs on this verticle's event loop and never blocks.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  private final NodeServices node;

  // Written in start (event loop); read by the deployer's thread once start completed, hence volatile.
  private volatile HttpServer server;

  /** @param node the node-wide services (health, metrics, stores, authenticator) */
  public AdminVerticle(NodeServices node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    AdminSettings admin = node.config().admin();
    server = vertx.createHttpServer(new HttpServerOptions().setHost(admin.host()).setPort(admin.port()))
        .requestHandler(new HttpApi(vertx, node).router());
    return server.listen().onSuccess(s -> {
      LOG.info("admin listener (health, metrics, read API) on http://{}:{}", admin.host(), s.actualPort());
      if (!admin.hasApiKeys() && node.config().auth().mode() == AuthMode.NONE) {
        LOG.warn("*** the read API on {}:{} is OPEN: PRESENCE_AUTH=none and no PRESENCE_API_KEYS. Anyone who"
            + " reaches that port can list every session, user and nickname. Development only. ***", admin.host(),
            s.actualPort());
      } else if (!admin.hasApiKeys()) {
        LOG.info("read API on the admin listener: admin tokens only (no PRESENCE_API_KEYS)");
      }
    });
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** @return the port it listens on (the bound one when configured as 0); call after its deployment completed */
  public int port() {
    return server.actualPort();
  }
}
