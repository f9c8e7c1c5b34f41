package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import dev.presence.config.PresenceConfig;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.PresenceEventJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's room watches on one context of their own: deployed once per node, before the WebSocket verticles, as a
 * worker verticle (its tasks run one at a time and in order, on the worker pool, so a tick over every watched room
 * stalls no event loop), it owns the {@link RoomWatches} (one view per watched room for the whole node) and the
 * consumer of {@code presence.events} that feeds them. Connections on any event loop call it; each call is handed to
 * the host's context in the order made, and a returned future completes on the caller's context.
 *
 * <p>Threading: {@link #watch}, {@link #unwatch} and {@link #unwatchAll} may be called from any Vert.x context (a
 * connection's event loop); everything else runs on the host's context.
 */
public final class RoomWatchHost extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RoomWatchHost.class);

  private final NodeServices node;
  /** Set in {@link #start()} on the host's context; read there only (calls are handed over first). */
  private RoomWatches watches;
  private MessageConsumer<Object> consumer;
  /** The cluster changed under the views: a member joined, or this member merged back or lost the quorum. */
  private List<MessageConsumer<Object>> inDoubt = List.of();
  private volatile Context home;

  /** @param node the node's services (room reads, settings, clock, metrics) */
  public RoomWatchHost(NodeServices node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    PresenceConfig config = node.config();
    node.health().watchEventLoop(context);
    watches = new RoomWatches(vertx, node.service().rooms(), node.clock(), config.rooms().largeRoom(),
        config.rooms().digestMs(), node.metrics(), node.watchBudget());
    home = context;
    consumer = vertx.eventBus().consumer(ClusterNames.EVENTS_ADDRESS, message -> onEvent(message.body()));
    // Events published while the cluster was apart may never arrive, and a merge may have dropped the counts that
    // would show it: every view is re-read (RoomWatches.reviewAll).
    inDoubt = List.of(
        vertx.eventBus().localConsumer(ClusterNames.LOCAL_MEMBER_JOINED_ADDRESS, message -> watches.reviewAll()),
        vertx.eventBus().localConsumer(ClusterNames.LOCAL_LEASE_RECHECK_ADDRESS, message -> watches.reviewAll()));
    watches.start();
    return Future.all(consumer.completion(), inDoubt.get(0).completion(), inDoubt.get(1).completion());
  }

  @Override
  public Future<?> stop() {
    home = null; // calls from now on are refused or ignored
    watches.stop();
    return Future.all(consumer.unregister(), inDoubt.get(0).unregister(), inDoubt.get(1).unregister());
  }

  private void onEvent(Object body) {
    if (!watches.active()) {
      return; // nobody watches a room here: not even decoded
    }
    PresenceEvent event = PresenceEventJson.fromJson(body).orElse(null);
    if (event == null) {
      LOG.debug("ignored a malformed presence event: {}", body);
      return;
    }
    watches.offer(event);
  }

  /**
   * Starts watching a room, or sends a fresh snapshot if the session watches it already ({@link RoomWatches#watch}).
   * Call from the connection's context.
   *
   * @param session the watching session
   * @param ws      its socket (frames are written on the caller's context, which owns it)
   * @param room    a valid room the session may watch
   * @param mode    how it watches
   * @return completes on the caller's context once the snapshot was handed to the socket's context; fails with the
   *     store's {@code ClusterStoreException} if the room's first read failed (the watch is gone then)
   */
  Future<Void> watch(String session, ServerWebSocket ws, String room, RoomWatches.Mode mode) {
    Context caller = Vertx.currentContext();
    return onHost(caller, () -> watches.watch(session, ws, caller, room, mode));
  }

  /**
   * Ends a session's watch of a room; idempotent. Call from the connection's context.
   *
   * @param session the session
   * @param room    the room
   * @return completes on the caller's context once the watch ended: every frame of the room sent before it is in
   *     the socket's context's queue ahead of whatever the caller writes next; at once when the host has stopped
   *     (the node is shutting down: no watch is left to end)
   */
  Future<Void> unwatch(String session, String room) {
    if (home == null) {
      return Future.succeededFuture();
    }
    return onHost(Vertx.currentContext(), () -> {
      watches.unwatch(session, room);
      return Future.succeededFuture();
    });
  }

  /**
   * Ends every watch of a session (its connection closed); idempotent. Call from the connection's context.
   *
   * @param session the session
   * @param rooms   the rooms it watches, as the connection knows them (copied here)
   */
  void unwatchAll(String session, Collection<String> rooms) {
    Context at = home;
    if (at != null && !rooms.isEmpty()) {
      List<String> watched = List.copyOf(rooms);
      at.runOnContext(v -> watches.unwatchAll(session, watched));
    }
  }

  /** Runs a call on the host's context and completes its future on the caller's. */
  private Future<Void> onHost(Context caller, Supplier<Future<Void>> call) {
    Context at = home;
    if (at == null || caller == null) {
      return Future.failedFuture(new IllegalStateException("room watches are not running"));
    }
    Promise<Void> done = Promise.promise();
    at.runOnContext(v -> {
      Future<Void> result;
      try {
        result = call.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(outcome -> caller.runOnContext(x -> done.handle(outcome)));
    });
    return done.future();
  }
}
