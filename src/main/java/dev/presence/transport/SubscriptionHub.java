package dev.presence.transport;

import dev.presence.cluster.ClusterNames;
import dev.presence.metrics.NodeMetrics;
import dev.presence.presence.PresenceDiff;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.PresenceEventJson;
import dev.presence.presence.PresencePage;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.PresenceSubscriber;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence subscriptions of one verticle instance's connections (docs/protocol.md §4): one consumer of
 * {@code presence.events} for the whole instance, fanned out to each subscription's {@link PresenceSubscriber}
 * (the pure state machine); snapshots read from the {@link PresenceStore}; batched diffs, resyncs and drains on
 * each client's socket.
 *
 * <p>Slow clients: subscription traffic never closes a session for a full write queue (unlike other replies,
 * ClientConnection's rule). A full queue, a frame the node's {@link WatchBudget} does not admit, or more than the
 * subscriber queue's bound of unsent changes, drops the changes and sends {@code presence.resync}; nothing more is
 * written until the socket drains (and the budget admits a frame for it), then a fresh snapshot follows. So one slow
 * subscriber costs at most its bounded queue plus what Netty already holds, and all of them together, with the room
 * watchers, at most twice the budget and a frame each.
 *
 * <p>Threading: created, started and called on the verticle's event loop; the consumer, the store's futures,
 * the timers and the drain handlers all run there, so every field is confined to that loop.
 */
final class SubscriptionHub {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionHub.class);

  /** How often a resync that the budget holds back looks again (ms). */
  static final long BUDGET_RETRY_MS = 250;

  private final Vertx vertx;
  private final PresenceStore store;
  private final InstantSource clock;
  private final int whoLimit;
  private final int queueBound;
  private final NodeMetrics metrics;
  private final WatchBudget budget;

  // Event-loop confined.
  private final Map<String, Subscription> bySession = new HashMap<>();
  private MessageConsumer<Object> consumer;

  /** One connection's subscription: its socket, its state machine, its pending timer, its bytes not yet written. */
  private static final class Subscription {
    final ServerWebSocket ws;
    final PresenceSubscriber subscriber;
    /** A pending flush, or a resync waiting for the budget. */
    long timer = -1;
    /** Bytes of its frames handed to the socket and not yet written (counted against the budget). */
    long queuedBytes;

    Subscription(ServerWebSocket ws, PresenceSubscriber subscriber) {
      this.ws = ws;
      this.subscriber = subscriber;
    }
  }

  /**
   * @param vertx      the verticle's Vert.x
   * @param store      the presence map port (snapshots)
   * @param clock      wall clock (epoch ms) for the batch window
   * @param whoLimit   most sessions in an {@code all} snapshot ({@code PRESENCE_WHO_LIMIT})
   * @param queueBound most unsent changes per subscription ({@code PRESENCE_SUBSCRIBER_QUEUE})
   * @param metrics    counts resyncs ({@code presence_subscription_resyncs_total})
   * @param budget     the node's bytes of presence frames not yet written ({@code PRESENCE_WATCH_BUDGET_BYTES}),
   *                   shared with the room watches and the other instances
   */
  SubscriptionHub(Vertx vertx, PresenceStore store, InstantSource clock, int whoLimit, int queueBound,
      NodeMetrics metrics, WatchBudget budget) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.whoLimit = whoLimit;
    this.queueBound = queueBound;
    this.metrics = metrics;
    this.budget = budget;
  }

  /**
   * Registers the instance's consumer of {@code presence.events}. Event loop only.
   *
   * @return completes once the registration has reached the cluster
   */
  Future<Void> start() {
    consumer = vertx.eventBus().consumer(ClusterNames.EVENTS_ADDRESS, message -> onEvent(message.body()));
    return consumer.completion();
  }

  /**
   * Ends every subscription and unregisters the consumer. Event loop only.
   *
   * @return completes when unregistered
   */
  Future<Void> stop() {
    bySession.values().forEach(this::cancelTimer);
    bySession.clear();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * Starts (or replaces) a session's subscription: changes are collected from now on, then the snapshot is
   * read and sent, then the collected changes. Event loop only.
   *
   * @param session the subscribing session
   * @param ws      its socket
   * @param users   the users wanted, or {@code null} for every session
   * @return completes once the snapshot went out (or the subscription was replaced, ended or resynced
   *     meanwhile); fails with the store's {@code ClusterStoreException}, and then no subscription remains
   */
  Future<Void> subscribe(String session, ServerWebSocket ws, Set<String> users) {
    unsubscribe(session);
    Subscription subscription = new Subscription(ws,
        new PresenceSubscriber(users, queueBound, PresenceSubscriber.BATCH_WINDOW_MS));
    // Registered before the snapshot is read: a change published while it is read is queued, not lost.
    bySession.put(session, subscription);
    return snapshot(session, subscription).onFailure(failure -> end(session, subscription));
  }

  /**
   * Ends a session's subscription, if any; its queued changes are dropped. Event loop only; idempotent.
   *
   * @param session the session
   */
  void unsubscribe(String session) {
    Subscription previous = bySession.remove(session);
    if (previous != null) {
      cancelTimer(previous);
    }
  }

  /** @return how many subscriptions this instance serves */
  int size() {
    return bySession.size();
  }

  private void onEvent(Object body) {
    if (bySession.isEmpty()) {
      return;
    }
    PresenceEvent event = PresenceEventJson.fromJson(body).orElse(null);
    if (event == null) {
      LOG.debug("ignored a malformed presence event: {}", body);
      return;
    }
    long now = clock.millis();
    // A copy: a resync may end a subscription (store failure) while the loop runs.
    for (Map.Entry<String, Subscription> entry : new ArrayList<>(bySession.entrySet())) {
      Subscription subscription = entry.getValue();
      switch (subscription.subscriber.offer(event, now)) {
        case SCHEDULE_FLUSH -> scheduleFlush(entry.getKey(), subscription, now);
        case RESYNC -> startResync(entry.getKey(), subscription);
        case QUEUED, IGNORED -> {
        }
      }
    }
  }

  private void scheduleFlush(String session, Subscription subscription, long now) {
    long due = subscription.subscriber.flushDueAt() - now;
    long delay = Math.max(1, Math.min(PresenceSubscriber.BATCH_WINDOW_MS, due));
    subscription.timer = vertx.setTimer(delay, id -> {
      subscription.timer = -1;
      if (!isCurrent(session, subscription)) {
        return;
      }
      long at = clock.millis();
      PresenceDiff diff = subscription.subscriber.takeDue(at);
      if (diff.isEmpty() && subscription.subscriber.flushDueAt() > at) {
        scheduleFlush(session, subscription, at); // the wall clock stepped back: wait for the due time
      } else {
        send(session, subscription, diff);
      }
    });
  }

  private Future<Void> snapshot(String session, Subscription subscription) {
    long epoch = subscription.subscriber.epoch();
    Set<String> users = subscription.subscriber.users();
    Future<PresencePage> read = users == null ? store.list(null, whoLimit) : readUsers(users);
    return read.map(page -> {
      // Stale if the subscription was replaced, ended, or resynced while the snapshot was read.
      if (isCurrent(session, subscription) && subscription.subscriber.snapshotWanted(epoch)
          && write(session, subscription, ServerMessages.presenceState(page.entries(), page.next() != null))) {
        send(session, subscription, subscription.subscriber.snapshotSent(epoch));
      }
      return null;
    });
  }

  /**
   * Every session of the users, ordered by session id: one indexed read for all of them (1,000 users used to be
   * 1,000 cluster queries, and again on every resync).
   */
  private Future<PresencePage> readUsers(Set<String> users) {
    return store.findByUsers(users).map(found -> {
      List<PresenceEntry> sorted = new ArrayList<>(found);
      sorted.sort(Comparator.comparing(PresenceEntry::session));
      return new PresencePage(sorted, null);
    });
  }

  private void send(String session, Subscription subscription, PresenceDiff diff) {
    if (!diff.isEmpty()) {
      write(session, subscription, ServerMessages.presenceDiff(diff));
    }
  }

  /**
   * Writes subscription traffic, or starts a resync if the client's write queue is full or the node's budget does
   * not admit the frame ({@link WatchBudget#admits}).
   *
   * @return true if written
   */
  private boolean write(String session, Subscription subscription, JsonObject message) {
    if (subscription.ws.isClosed()) {
      return false;
    }
    String text = message.encode();
    if (subscription.ws.writeQueueFull() || !budget.admits(subscription.queuedBytes, text.length())) {
      if (subscription.subscriber.socketFull()) {
        startResync(session, subscription);
      }
      return false;
    }
    writeCounted(session, subscription, text);
    return true;
  }

  /**
   * Writes a frame, counted against the budget until its write completes (or fails: the socket closed). Its chars
   * count as its bytes: the JSON is ASCII but for names and metas, close enough for a budget.
   */
  private void writeCounted(String session, Subscription subscription, String text) {
    int bytes = text.length();
    subscription.queuedBytes += bytes;
    budget.queued(bytes);
    subscription.ws.writeTextMessage(text).onComplete(written -> {
      subscription.queuedBytes -= bytes;
      budget.written(bytes);
      if (written.failed()) {
        LOG.debug("session {} presence write failed: {}", session, written.cause().toString());
      }
    });
  }

  /**
   * The subscriber is in {@code RESYNC_PENDING}: tell the client (one small frame even past the write
   * queue's mark and the budget, once per episode, so it knows its view is stale), then wait for the socket to drain.
   */
  private void startResync(String session, Subscription subscription) {
    cancelTimer(subscription);
    LOG.debug("session {} fell behind its presence subscription: resync", session);
    metrics.subscriptionResync();
    writeCounted(session, subscription, ServerMessages.presenceResync().encode());
    if (!subscription.ws.writeQueueFull()) {
      onDrained(session, subscription); // the queue bound or the budget overflowed, not the socket
      return;
    }
    subscription.ws.drainHandler(v -> {
      subscription.ws.drainHandler(null);
      onDrained(session, subscription);
    });
  }

  /**
   * The socket took what it had: read a fresh snapshot, once the budget would admit a frame for this subscriber (over
   * the budget, only when its own frames are written, and not past the hard cap); until then, look again every
   * {@value #BUDGET_RETRY_MS} ms. Reading first and being refused after would read the cluster for nothing.
   */
  private void onDrained(String session, Subscription subscription) {
    if (!isCurrent(session, subscription) || subscription.subscriber.state() != PresenceSubscriber.State.RESYNC_PENDING) {
      return;
    }
    if (!budget.admits(subscription.queuedBytes, 0)) {
      subscription.timer = vertx.setTimer(BUDGET_RETRY_MS, id -> {
        subscription.timer = -1;
        onDrained(session, subscription);
      });
      return;
    }
    subscription.subscriber.drained();
    snapshot(session, subscription).onFailure(failure -> {
      LOG.warn("session {} presence resync snapshot failed: {}", session, failure.toString());
      if (isCurrent(session, subscription)) {
        end(session, subscription);
        if (!subscription.ws.isClosed()) {
          subscription.ws.writeTextMessage(ServerMessages.error("unavailable",
              "the cluster store did not answer; the presence subscription ended: subscribe again").encode());
        }
      }
    });
  }

  private void end(String session, Subscription subscription) {
    if (isCurrent(session, subscription)) {
      unsubscribe(session);
    }
  }

  private boolean isCurrent(String session, Subscription subscription) {
    return bySession.get(session) == subscription;
  }

  private void cancelTimer(Subscription subscription) {
    if (subscription.timer >= 0) {
      vertx.cancelTimer(subscription.timer);
      subscription.timer = -1;
    }
  }
}
