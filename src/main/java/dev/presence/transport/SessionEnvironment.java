package dev.presence.transport;

import dev.presence.config.PresenceConfig;
import dev.presence.presence.PauseDetector;
import dev.presence.presence.PresenceMetrics;
import dev.presence.presence.PresenceService;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.SessionRegistry;
import io.vertx.core.Vertx;
import java.time.InstantSource;

/**
 * What every connection of one verticle instance shares: the node's services, plus what belongs to the
 * instance (its registry and its presence subscriptions, confined to its event loop). The accessors below are
 * views of {@code node}.
 */
record SessionEnvironment(
    Vertx vertx,
    NodeServices node,
    HeartbeatPolicy heartbeat,
    SessionRegistry<ClientConnection> registry,
    SubscriptionHub subscriptions,
    PauseDetector pauses) {

  PresenceService service() {
    return node.service();
  }

  PresenceConfig config() {
    return node.config();
  }

  PresenceMetrics metrics() {
    return node.metrics();
  }

  InstantSource clock() {
    return node.clock();
  }
}
