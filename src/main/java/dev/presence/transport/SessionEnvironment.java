package dev.presence.transport;

import dev.presence.config.PresenceConfig;
import dev.presence.presence.PauseDetector;
import dev.presence.presence.PresenceMetrics;
import dev.presence.presence.PresenceService;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.SessionRegistry;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.Collection;

/**
 * What every connection of one verticle instance shares: the node's services, plus what belongs to the
 * instance (its registry and its presence subscriptions, confined to its event loop), and the node's room watches
 * (their own context; {@link RoomWatchHost} hands calls over). The accessors below are views of {@code node}.
 */
record SessionEnvironment(
    Vertx vertx,
    NodeServices node,
    HeartbeatPolicy heartbeat,
    SessionRegistry<ClientConnection> registry,
    SubscriptionHub subscriptions,
    RoomWatchHost roomWatches,
    PauseDetector pauses) {

  /**
   * Ends every subscription of a session: the global one and its room watches (its connection closed). Call from the
   * connection's event loop; idempotent.
   *
   * @param session the session
   * @param watched the rooms it watches, as the connection knows them
   */
  void endSubscriptions(String session, Collection<String> watched) {
    subscriptions.unsubscribe(session);
    roomWatches.unwatchAll(session, watched);
  }

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
