package dev.presence.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one client's presence subscription has seen and not yet sent: the pure state machine behind
 * {@code subscribe} (docs/protocol.md §4). No I/O and no clock: every method that depends on time takes
 * {@code now} (epoch ms), so a test crosses the batch window by passing {@code t + window}.
 *
 * <pre>
 *   COLLECTING --snapshotSent--> LIVE --overflow / socketFull--> RESYNC_PENDING --drained--> COLLECTING
 *        \______________________________overflow______________________________/
 * </pre>
 *
 * <ul>
 *   <li>{@link State#COLLECTING}: a snapshot is being read; changes are queued (never flushed) so that none
 *       published while the snapshot is read is lost. Each entry into this state starts a new
 *       {@link #epoch()}: a snapshot read for an older epoch is stale and must be thrown away.</li>
 *   <li>{@link State#LIVE}: changes are queued and handed out as one {@link PresenceDiff} once the first of
 *       them is {@link #batchWindowMs} old, so a burst (a thousand sessions reset at once) becomes a few
 *       frames, not a thousand.</li>
 *   <li>{@link State#RESYNC_PENDING}: the queue grew past its capacity, or the client's socket did not take
 *       more: the queue is dropped and every change ignored until the socket has drained; then a fresh
 *       snapshot replaces everything the client missed. Memory per subscriber is thus bounded by the
 *       capacity, however slow the client.</li>
 * </ul>
 *
 * <p>Threading: not thread-safe; owned by one event loop (the connection's).
 */
public final class PresenceSubscriber {

  /** How long (ms) changes are collected before they go out as one diff. */
  public static final long BATCH_WINDOW_MS = 50;

  /** Where the subscription stands. */
  public enum State {
    /** A snapshot is being read; changes are queued. */
    COLLECTING,
    /** Snapshot sent; changes are queued and flushed in batches. */
    LIVE,
    /** Queue dropped; waiting for the socket to drain, then a new snapshot. */
    RESYNC_PENDING
  }

  /** What the caller must do after {@link #offer}. */
  public enum Offer {
    /** Not for this subscriber (another user), or ignored while a resync is pending. */
    IGNORED,
    /** Queued; a flush is already due (or a snapshot is in flight): nothing to schedule. */
    QUEUED,
    /** Queued as the first change of a batch: flush at {@link #flushDueAt()}. */
    SCHEDULE_FLUSH,
    /** The queue overflowed and was dropped: send {@code presence.resync}, then resnapshot once drained. */
    RESYNC
  }

  private final Set<String> users;
  private final int capacity;
  private final long batchWindowMs;
  private final List<PresenceEvent> queue = new ArrayList<>();
  private State state = State.COLLECTING;
  private long epoch = 1;
  private long flushDueAt = -1;

  /**
   * Starts in {@link State#COLLECTING}, epoch 1.
   *
   * @param users         the users whose sessions are wanted, or {@code null} for every session
   * @param capacity      most changes queued before the subscriber must resync (at least 1)
   * @param batchWindowMs how long (ms) the first change of a batch waits for others (at least 0)
   */
  public PresenceSubscriber(Set<String> users, int capacity, long batchWindowMs) {
    if (capacity < 1 || batchWindowMs < 0) {
      throw new IllegalArgumentException("capacity must be >= 1 and the batch window >= 0");
    }
    this.users = users == null ? null : Set.copyOf(users);
    this.capacity = capacity;
    this.batchWindowMs = batchWindowMs;
  }

  /** @return the users subscribed to, or {@code null} for every session */
  public Set<String> users() {
    return users;
  }

  /** @return the current state */
  public State state() {
    return state;
  }

  /** @return the snapshot generation: a snapshot read in another epoch is stale */
  public long epoch() {
    return epoch;
  }

  /** @return changes queued now (never above the capacity) */
  public int queued() {
    return queue.size();
  }

  /** @return epoch ms when the queued batch is due, or -1 if none is scheduled */
  public long flushDueAt() {
    return flushDueAt;
  }

  /**
   * @param user a session's user
   * @return whether changes of that user's sessions belong to this subscription
   */
  public boolean wants(String user) {
    return users == null || (user != null && users.contains(user));
  }

  /**
   * A change published on the cluster.
   *
   * @param event the change
   * @param now   epoch ms
   * @return what to do next
   */
  public Offer offer(PresenceEvent event, long now) {
    // Room changes are not changes of the global view: room watches get them (transport/RoomWatches).
    if (state == State.RESYNC_PENDING || event.isRoomEvent() || !wants(event.user())) {
      return Offer.IGNORED;
    }
    if (queue.size() >= capacity) {
      enterResync();
      return Offer.RESYNC;
    }
    queue.add(event);
    if (state == State.LIVE && flushDueAt < 0) {
      flushDueAt = now + batchWindowMs;
      return Offer.SCHEDULE_FLUSH;
    }
    return Offer.QUEUED;
  }

  /**
   * The batch, if it is due.
   *
   * @param now epoch ms
   * @return the queued changes as one diff (the queue is emptied), or {@link PresenceDiff#EMPTY} when not live,
   *     nothing is queued, or the batch is not due yet (then flush again at {@link #flushDueAt()})
   */
  public PresenceDiff takeDue(long now) {
    if (state != State.LIVE || queue.isEmpty() || now < flushDueAt) {
      return PresenceDiff.EMPTY;
    }
    return drainQueue();
  }

  /**
   * The snapshot of {@code epoch} went out: the subscriber goes live. The changes collected meanwhile are
   * returned to be sent at once, right after the snapshot (some may repeat what it shows: clients apply diffs
   * idempotently by session id).
   *
   * @param snapshotEpoch the {@link #epoch()} when the snapshot was started
   * @return the collected changes (maybe empty); empty as well if the snapshot was stale (nothing changes)
   */
  public PresenceDiff snapshotSent(long snapshotEpoch) {
    if (state != State.COLLECTING || snapshotEpoch != epoch) {
      return PresenceDiff.EMPTY;
    }
    state = State.LIVE;
    return drainQueue();
  }

  /**
   * @param snapshotEpoch the {@link #epoch()} when a snapshot was started
   * @return whether that snapshot may still be sent (collecting, same epoch)
   */
  public boolean snapshotWanted(long snapshotEpoch) {
    return state == State.COLLECTING && snapshotEpoch == epoch;
  }

  /**
   * The client's socket is not taking more (its write queue is full): drop the queue and wait for the drain.
   *
   * @return true if this started a resync (send {@code presence.resync}); false if one was already pending
   */
  public boolean socketFull() {
    if (state == State.RESYNC_PENDING) {
      return false;
    }
    enterResync();
    return true;
  }

  /**
   * The socket drained after a resync: start collecting again under a new epoch; the caller reads a fresh
   * snapshot.
   *
   * @return true if a resync was pending (read the snapshot now); false otherwise (nothing changes)
   */
  public boolean drained() {
    if (state != State.RESYNC_PENDING) {
      return false;
    }
    state = State.COLLECTING;
    epoch++;
    return true;
  }

  private void enterResync() {
    // A snapshot still in flight belongs to the old epoch: it must not be sent after the resync notice.
    state = State.RESYNC_PENDING;
    epoch++;
    queue.clear();
    flushDueAt = -1;
  }

  private PresenceDiff drainQueue() {
    List<PresenceEvent> joins = new ArrayList<>();
    List<PresenceEvent> leaves = new ArrayList<>();
    List<PresenceEvent> updates = new ArrayList<>();
    for (PresenceEvent event : queue) {
      switch (event.event()) {
        case "join" -> joins.add(event);
        case "leave" -> leaves.add(event);
        default -> updates.add(event); // nick, and kinds added later (status): the session changed
      }
    }
    queue.clear();
    flushDueAt = -1;
    return new PresenceDiff(joins, leaves, updates);
  }
}
