package dev.presence.transport;

import dev.presence.config.PresenceConfig;
import dev.presence.presence.PresenceMetrics;
import dev.presence.presence.PresenceService;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.SessionRegistry;
import io.vertx.core.Vertx;
import java.time.InstantSource;

/**
 * What every connection of one verticle instance shares: all of it immutable or confined to that
 * instance's event loop (the registry).
 */
record SessionEnvironment(
    Vertx vertx,
    PresenceService service,
    PresenceConfig config,
    HeartbeatPolicy heartbeat,
    SessionRegistry<ClientConnection> registry,
    PresenceMetrics metrics,
    InstantSource clock) {
}
