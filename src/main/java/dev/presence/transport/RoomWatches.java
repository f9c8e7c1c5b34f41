package dev.presence.transport;

import dev.presence.metrics.NodeMetrics;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.PresenceSubscriber;
import dev.presence.presence.RoomFeed;
import dev.presence.presence.RoomMemberships;
import dev.presence.room.RoomOccupancy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room watches of one node's connections (docs/protocol.md §12.1): one {@link RoomFeed} per watched room, shared
 * by every watcher of that room on the node, whichever event loop owns the watcher's connection, fed by the node's
 * consumer of {@code presence.events} ({@link RoomWatchHost}). A diff is encoded once per room and handed to each
 * watcher's own event loop to write. One view per node, not one per event loop: with two loops, a second copy of
 * every room's view cost about 550 bytes per membership and the work of applying every event twice (load-tests
 * README, "rooms").
 *
 * <p>Convergence: events are best-effort, so each tick ({@code PRESENCE_ROOM_DIGEST_MS}) compares up to
 * {@value #CHECKS_PER_TICK} watched rooms' counts (in turn) with the cluster's counters in one batched read; a room
 * that disagrees twice, {@value #RECHECK_MS} ms apart, with no join or leave in between (its counters' version
 * unchanged), is re-read from the room index and the feed corrects its view (watchers get the correction as an
 * ordinary diff); at most {@value #MAX_AUDITS_IN_FLIGHT} re-reads run at once. Counts cannot see a missed leave and a missed join of the same user, so the {@value #AUDITS_PER_TICK} rooms
 * checked longest ago (over {@value #AUDIT_AGE_MS} ms) are re-read every tick as well. Clients can check their own
 * view against the {@code presence.digest} each tick sends after diffs.
 *
 * <p>Slow watchers: a watcher whose write queue is full, or that a frame would take past the node's budget for
 * presence frames ({@code PRESENCE_WATCH_BUDGET_BYTES}, shared with presence subscriptions; {@link WatchBudget#admits}),
 * gets {@code presence.resync} for the room and nothing more of it until every frame to it was written (checked each
 * tick: the socket's single drain handler belongs to the connection's other writers), then a fresh
 * {@code presence.state}. The feed never waits for a watcher, and the node holds at most twice the budget and a frame
 * for its watchers and subscribers.
 *
 * <p>Threading: created, started and called on the {@link RoomWatchHost}'s context (connections call the host, which
 * hands their calls over); store futures and timers run there, so every field is confined to it. Frames go to each
 * socket through its own context.
 */
final class RoomWatches {

  private static final Logger LOG = LoggerFactory.getLogger(RoomWatches.class);

  /** Delay (ms) before a room whose counts disagreed with its view is checked again (events in flight land). */
  static final long RECHECK_MS = 250;
  /** Rooms re-read per tick whatever their counts say, the least recently checked first. */
  static final int AUDITS_PER_TICK = 2;
  /** Rooms whose counters one tick reads (one batched call): bounds the check's cost however many rooms are watched. */
  static final int CHECKS_PER_TICK = 256;
  /** Room re-reads (audits) in flight at once per verticle. */
  static final int MAX_AUDITS_IN_FLIGHT = 4;
  /** After a change of the cluster's members, how long (ms) before every view is re-read ({@link #reviewAll}). */
  static final long REVIEW_DELAY_MS = 1_000;
  /**
   * A room is audited only when its last check is older than this (ms): short enough that a divergence the counters
   * cannot see (they drifted with the view, or a leave and a join of one user were both missed) lasts seconds, long
   * enough that the audits of many rooms spread out ({@value #AUDITS_PER_TICK} a tick).
   */
  static final long AUDIT_AGE_MS = 10_000;
  /** Rooms one task of a tick goes through before it lets the events queued meanwhile run. */
  static final int TICK_SLICE = 100;

  private final Vertx vertx;
  private final RoomMemberships rooms;
  private final InstantSource clock;
  private final int largeThreshold;
  private final long tickMs;
  private final NodeMetrics metrics;
  private final WatchBudget budget;

  // Event-loop confined.
  /** Room → feed, in name order: the check takes the rooms in turn without sorting them every tick. */
  private final TreeMap<String, Feed> feeds = new TreeMap<>();
  private final Map<String, Watcher> watchers = new HashMap<>();
  /** The watchers behind in some room, which each tick looks at ({@link #resendDrained}), not all of them. */
  private final Set<Watcher> behind = new LinkedHashSet<>();
  /** The views' members: routes their global changes, and shares one entry per session across the views. */
  private final RoomMemberIndex members = new RoomMemberIndex();
  private long tickTimer = -1;
  /** A tick is going through the rooms (in slices); the next one waits for it. */
  private boolean ticking;
  /** Whether a review of every view ({@link #reviewAll}) is due already. */
  private boolean reviewPending;
  private boolean stopped;
  private boolean checking;
  private boolean rechecking;
  private int auditsInFlight;
  /** The last room of the previous check's turn (rooms are checked in name order, a turn at a time). */
  private String checkCursor;

  /**
   * How one session watches one room (docs/protocol.md §12.1).
   *
   * @param countsOnly only {@code presence.counts}, whatever the room's size
   * @param users      users whose sessions it follows even in a large room, or {@code null}
   */
  record Mode(boolean countsOnly, Set<String> users) {
    /** A plain watch: members, or counts in a large room. */
    static final Mode MEMBERS = new Mode(false, null);
  }

  /** One watched room: its feed, its watchers on this instance, its flush timer and check state. */
  private static final class Feed {
    final RoomFeed feed;
    /** Watching session → how it watches. Changed only through {@link #watch} and {@link #unwatch}. */
    final Map<String, Mode> watchers = new LinkedHashMap<>();
    /** Watchers with a counts-only mode: kept with the map, so a tick's tally costs O(rooms), not O(watches). */
    int countsOnly;
    /** Watchers that follow chosen users; the feed keeps diffs in counts mode while there is one. */
    int following;
    long timer = -1;
    /** {@link RoomFeed#countsVersion()} when counts-only watchers were last sent counts. */
    long countsSent = -1;
    /** Whether the room was large at the last tick (entering counts mode sends followers their users' sessions). */
    boolean wasLarge;
    /** The first read, while in flight. */
    Future<Void> loading;
    boolean reading;
    long checkedAt;

    Feed(RoomFeed feed) {
      this.feed = feed;
    }

    /** Adds or replaces a watcher's mode; returns whether the session is new to the room. */
    boolean watch(String session, Mode mode) {
      Mode before = watchers.put(session, mode);
      count(before, -1);
      count(mode, 1);
      return before == null;
    }

    /** @return whether the session watched the room */
    boolean unwatch(String session) {
      Mode before = watchers.remove(session);
      count(before, -1);
      return before != null;
    }

    /**
     * Keeps the counters with the map, and the feed collecting diffs in counts mode exactly while some watcher
     * follows chosen users (without a pass over the watchers: a join into a 5,000-member room was one).
     */
    private void count(Mode mode, int delta) {
      if (mode == null) {
        return;
      }
      if (mode.countsOnly()) {
        countsOnly += delta;
      }
      if (mode.users() != null) {
        following += delta;
      }
      feed.batchWhenLarge(following > 0);
    }
  }

  /**
   * One watching connection: its socket and the context that owns it (every frame is written there, so the room
   * traffic and the connection's own replies never interleave the frames of a long message), how many rooms it
   * watches (which ones its connection knows, {@link #unwatchAll}), the rooms it must be resent after a full queue.
   */
  private static final class Watcher {
    /** A field updater, not an {@code AtomicLong} per watcher: about 20 B less for each watching session. */
    private static final AtomicLongFieldUpdater<Watcher> QUEUED =
        AtomicLongFieldUpdater.newUpdater(Watcher.class, "queued");

    final String session;
    final ServerWebSocket ws;
    final Context context;
    int watching;
    /** Rooms it must be resent after falling behind; {@code null} while none (an empty set costs about 60 B). */
    private Set<String> resyncing;
    /** Bytes of room frames handed to this socket (or to its context) and not yet written: set from two threads. */
    private volatile long queued;

    Watcher(String session, ServerWebSocket ws, Context context) {
      this.session = session;
      this.ws = ws;
      this.context = context;
    }

    boolean behindIn(String room) {
      return resyncing != null && resyncing.contains(room);
    }

    /** @return the rooms it fell behind in (a copy) */
    List<String> roomsBehind() {
      return resyncing == null ? List.of() : List.copyOf(resyncing);
    }

    /** @return whether it was behind in no room before */
    boolean fellBehindIn(String room) {
      boolean first = resyncing == null;
      if (first) {
        resyncing = new HashSet<>(4);
      }
      resyncing.add(room);
      return first;
    }

    /** @return whether it is behind in no room any more */
    boolean caughtUpIn(String room) {
      if (resyncing != null && resyncing.remove(room) && resyncing.isEmpty()) {
        resyncing = null;
        return true;
      }
      return false;
    }

    long queued() {
      return queued;
    }

    void addQueued(long bytes) {
      QUEUED.addAndGet(this, bytes);
    }
  }

  /**
   * @param vertx          the verticle's Vert.x
   * @param rooms          room reads (members, counters)
   * @param clock          wall clock (epoch ms)
   * @param largeThreshold members above which a room's watchers get counts ({@code PRESENCE_ROOM_LARGE})
   * @param tickMs         the digest and check period, ms ({@code PRESENCE_ROOM_DIGEST_MS})
   * @param metrics        counts corrections and resyncs
   * @param budget         the node's bytes of presence frames not yet written ({@code PRESENCE_WATCH_BUDGET_BYTES})
   */
  RoomWatches(Vertx vertx, RoomMemberships rooms, InstantSource clock, int largeThreshold, long tickMs,
      NodeMetrics metrics, WatchBudget budget) {
    this.vertx = vertx;
    this.budget = budget;
    this.rooms = rooms;
    this.clock = clock;
    this.largeThreshold = largeThreshold;
    this.tickMs = tickMs;
    this.metrics = metrics;
  }

  /** Starts the periodic tick. Host context only. */
  void start() {
    tickTimer = vertx.setPeriodic(tickMs, id -> tick());
  }

  /** Ends every watch and the tick. Host context only. */
  void stop() {
    stopped = true;
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
    }
    metrics.forgetLoop(this);
    feeds.values().forEach(this::cancelTimer);
    feeds.clear();
    watchers.clear();
    behind.clear();
    members.clear();
  }

  /**
   * Starts watching a room, or, if the session watches it already, sends it a fresh snapshot (a client's resync
   * after a sequence gap or a digest mismatch). Host context only.
   *
   * @param session the watching session
   * @param ws      its socket
   * @param owner   the context that owns the socket (its connection's event loop): frames are written there
   * @param room    a valid room the session may watch
   * @param mode    how it watches (a watch again with another mode replaces the mode)
   * @return completes once the snapshot went out; fails with the store's {@code ClusterStoreException} if the room's
   *     first read failed, and then the watch is gone
   */
  Future<Void> watch(String session, ServerWebSocket ws, Context owner, String room, Mode mode) {
    Watcher watcher = watchers.computeIfAbsent(session, s -> new Watcher(s, ws, owner));
    caughtUp(watcher, room);
    Feed feed = feeds.get(room);
    if (feed == null) {
      feed = new Feed(new RoomFeed(room, largeThreshold, PresenceSubscriber.BATCH_WINDOW_MS, members));
      feeds.put(room, feed);
      feed.watch(session, mode);
      watcher.watching++;
      return load(feed);
    }
    if (feed.watch(session, mode)) {
      watcher.watching++;
    }
    if (feed.loading != null) {
      return feed.loading;
    }
    snapshot(feed, mode).forEach(text -> write(session, watcher, room, text));
    return Future.succeededFuture();
  }

  /**
   * Ends a session's watch of a room. Host context only; idempotent.
   *
   * @param session the session
   * @param room    the room
   */
  void unwatch(String session, String room) {
    Watcher watcher = watchers.get(session);
    if (watcher == null || !leaveFeed(session, room)) {
      return;
    }
    caughtUp(watcher, room);
    if (--watcher.watching == 0) {
      watchers.remove(session);
      behind.remove(watcher);
    }
  }

  /**
   * Ends every watch of a session (its connection closed). Host context only; idempotent.
   *
   * @param session the session
   * @param rooms   the rooms it watches, as its connection knows them (a room it no longer watches is skipped): the
   *                connection keeps that list anyway, so the host keeps only a count per watcher
   */
  void unwatchAll(String session, Collection<String> rooms) {
    Watcher watcher = watchers.remove(session);
    if (watcher != null) {
      behind.remove(watcher);
      rooms.forEach(room -> leaveFeed(session, room));
    }
  }

  /** @return whether any room is watched on this instance */
  boolean active() {
    return !feeds.isEmpty();
  }

  /**
   * A change published on the cluster: a room event goes to its room's feed, a session's global change to the feeds
   * whose view lists the session. Host context only.
   *
   * @param event the change
   */
  void offer(PresenceEvent event) {
    long now = clock.millis();
    if (event.room() != null) {
      Feed feed = feeds.get(event.room());
      if (feed != null) {
        apply(feed, event, now);
      }
      return;
    }
    for (String room : members.roomsOf(event.session())) {
      apply(feeds.get(room), event, now);
    }
  }

  private void apply(Feed feed, PresenceEvent event, long now) {
    if (feed == null) {
      return;
    }
    if (feed.feed.offer(event, now) == RoomFeed.Offer.SCHEDULE_FLUSH) {
      scheduleFlush(feed, now);
    }
    enterCountsIfOutgrown(feed);
  }

  /**
   * A room that grew past {@code PRESENCE_ROOM_LARGE} goes to counts at once, not at the next tick: until then every
   * watcher that joins it is sent all its members. A node whose tick ran late under load sent each of 2,000 joiners
   * of the 5,000-member room a snapshot of up to 1.2 MB, and ran out of heap (load-tests/README.md, "Room watchers
   * that read slowly").
   */
  private void enterCountsIfOutgrown(Feed feed) {
    if (feed.feed.outgrown()) {
      tick(feed);
    }
  }

  private Future<Void> load(Feed feed) {
    String room = feed.feed.room();
    long generation = feed.feed.startRead();
    Future<Void> loading = rooms.members(room).compose(members -> {
      feed.loading = null;
      if (feeds.get(room) != feed) {
        return Future.succeededFuture();
      }
      long now = clock.millis();
      feed.feed.finishRead(generation, members, now);
      feed.checkedAt = now;
      feed.wasLarge = feed.feed.large();
      sendSnapshots(feed, mode -> true);
      return Future.succeededFuture();
    }, failure -> {
      feed.loading = null;
      if (feeds.get(room) == feed) {
        for (String session : List.copyOf(feed.watchers.keySet())) {
          unwatch(session, room);
        }
      }
      return Future.failedFuture(failure);
    });
    if (!loading.isComplete()) {
      feed.loading = loading; // later watchers wait for the same read
    }
    return loading;
  }

  /** @return whether the session watched the room */
  private boolean leaveFeed(String session, String room) {
    Feed feed = feeds.get(room);
    if (feed == null || !feed.unwatch(session)) {
      return false;
    }
    if (!feed.watchers.isEmpty()) {
      return true;
    }
    feeds.remove(room);
    cancelTimer(feed);
    feed.feed.sessionIds().forEach(member -> members.forget(member, room));
    return true;
  }

  /**
   * What a watcher gets on watching (or after a resync): the members; or the counts (counts-only, or a large room),
   * then, in a large room, the sessions of the users it follows.
   */
  private List<String> snapshot(Feed feed, Mode mode) {
    RoomFeed f = feed.feed;
    if (!mode.countsOnly() && !f.large()) {
      return List.of(ServerMessages.roomState(f.room(), f.seq(), f.membersAtSeq()));
    }
    String counts = ServerMessages.roomCounts(f.room(), f.sessions(), f.users()).encode();
    if (mode.countsOnly() || mode.users() == null) {
      return List.of(counts);
    }
    List<dev.presence.presence.RoomMember> followed = f.membersAtSeq().stream()
        .filter(m -> mode.users().contains(m.entry().user())).toList();
    return List.of(counts, ServerMessages.roomUsersState(f.room(), followed));
  }

  /** A fresh snapshot to each watcher whose mode passes (each distinct mode encoded once). */
  private void sendSnapshots(Feed feed, java.util.function.Predicate<Mode> which) {
    Map<Mode, List<String>> encoded = new HashMap<>();
    feed.watchers.forEach((session, mode) -> {
      if (which.test(mode)) {
        encoded.computeIfAbsent(mode, m -> snapshot(feed, m))
            .forEach(text -> write(session, watchers.get(session), feed.feed.room(), text));
      }
    });
  }

  private void scheduleFlush(Feed feed, long now) {
    long delay = Math.max(1, Math.min(PresenceSubscriber.BATCH_WINDOW_MS, feed.feed.flushDueAt() - now));
    cancelTimer(feed);
    feed.timer = vertx.setTimer(delay, id -> {
      feed.timer = -1;
      if (feeds.get(feed.feed.room()) != feed) {
        return;
      }
      long at = clock.millis();
      RoomFeed.Batch batch = feed.feed.takeDue(at);
      if (batch != null) {
        sendBatch(feed, batch);
      } else if (feed.feed.flushDueAt() > at) {
        scheduleFlush(feed, at); // the wall clock stepped back: wait for the due time
      }
    });
  }

  /**
   * A diff goes to every watcher that wants members; in a large room only to watchers that follow users, each
   * getting its users' changes (unnumbered: a large room's watcher has no member view to keep in step).
   */
  private void sendBatch(Feed feed, RoomFeed.Batch batch) {
    String room = feed.feed.room();
    if (!feed.feed.large()) {
      broadcast(feed, mode -> !mode.countsOnly(), ServerMessages.roomDiff(room, batch).encode());
      return;
    }
    feed.watchers.forEach((session, mode) -> {
      if (mode.users() != null) {
        dev.presence.presence.PresenceDiff mine = batch.diff().ofUsers(mode.users());
        if (!mine.isEmpty()) {
          write(session, watchers.get(session), room, ServerMessages.roomUsersDiff(room, mine).encode());
        }
      }
    });
  }

  /**
   * One frame to every watcher of the room whose mode passes: one task per event loop that owns some of them (a few),
   * not one per watcher.
   */
  private void broadcast(Feed feed, java.util.function.Predicate<Mode> which, String text) {
    String room = feed.feed.room();
    Map<Context, List<Watcher>> byLoop = new HashMap<>(4);
    int bytes = text.length();
    feed.watchers.forEach((session, mode) -> {
      Watcher watcher = watchers.get(session);
      // Counted in as admitted, so that the budget judges the next watcher with this one's copy in.
      if (which.test(mode) && admits(session, watcher, room, bytes)) {
        queued(watcher, bytes);
        byLoop.computeIfAbsent(watcher.context, c -> new ArrayList<>()).add(watcher);
      }
    });
    byLoop.forEach((loop, group) -> loop.runOnContext(v -> group.forEach(watcher -> deliver(watcher, text, bytes))));
  }

  /** Writes one room's traffic to a watcher, or starts its resync of that room if {@link #admits} refuses it. */
  private void write(String session, Watcher watcher, String room, String text) {
    if (admits(session, watcher, room, text.length())) {
      send(watcher, text);
    }
  }

  /**
   * Whether a frame of the room may go to the watcher now: not while it is resyncing the room, nor to a closed
   * socket; a full write queue, or a frame the node's budget does not admit ({@link WatchBudget#admits}), starts its
   * resync instead.
   */
  private boolean admits(String session, Watcher watcher, String room, int bytes) {
    if (watcher == null || watcher.behindIn(room)) {
      return false;
    }
    Boolean full = queueFull(watcher.ws);
    if (full == null) {
      return false; // closed: its connection ends its watches
    }
    if (full || !budget.admits(watcher.queued(), bytes)) {
      // One small frame past the queue's mark, once per episode, so the client knows its view of the room is stale.
      if (watcher.fellBehindIn(room)) {
        behind.add(watcher);
      }
      metrics.roomWatchResync();
      LOG.debug("session {} fell behind its watch of {}: resync", session, room);
      send(watcher, ServerMessages.roomResync(room).encode());
      return false;
    }
    return true;
  }

  /** The watcher is no longer behind in the room (resent, or it watches the room afresh, or no more). */
  private void caughtUp(Watcher watcher, String room) {
    if (watcher.caughtUpIn(room)) {
      behind.remove(watcher);
    }
  }

  /**
   * Hands a frame to the socket's own context (in the order written here: one context runs its tasks in order),
   * counted in from this moment: the budget sees frames still waiting in that context's task queue, which the
   * socket's own write queue does not.
   */
  private void send(Watcher watcher, String text) {
    int bytes = text.length();
    queued(watcher, bytes);
    watcher.context.runOnContext(v -> deliver(watcher, text, bytes));
  }

  /** Counts a frame in, as it is handed to the socket's context (a task queue can hold many, the socket none yet). */
  private void queued(Watcher watcher, int bytes) {
    watcher.addQueued(bytes);
    budget.queued(bytes);
  }

  /**
   * Writes a frame on the socket's context and counts it out once written or failed. Its size is its length in
   * chars: the bytes of ASCII text, a lower bound otherwise.
   */
  private void deliver(Watcher watcher, String text, int bytes) {
    watcher.ws.writeTextMessage(text).onComplete(written -> {
      watcher.addQueued(-bytes);
      budget.written(bytes);
      if (written.failed()) {
        LOG.debug("session {} room write failed: {}", watcher.session, written.cause().toString());
      }
    });
  }

  /**
   * Read from this context while the socket's own may be closing it: Vert.x answers {@code writeQueueFull} of a
   * closed socket with an {@code IllegalStateException}.
   *
   * @return whether the socket's write queue is full; {@code null} if it is closed
   */
  private static Boolean queueFull(ServerWebSocket ws) {
    try {
      return ws.isClosed() ? null : ws.writeQueueFull();
    } catch (IllegalStateException closed) {
      return null;
    }
  }

  private void tick() {
    if (ticking || stopped) {
      return; // the previous tick is still going through the rooms
    }
    ticking = true;
    tickRooms(Vertx.currentContext(), List.copyOf(feeds.values()), 0);
  }

  /**
   * Ticks {@value #TICK_SLICE} rooms, then hands the rest to a later task of this context, behind the events queued
   * meanwhile: a tick over thousands of rooms (digests, counts, frames) held every event of the node back for its whole
   * length, and a leave reached the other node's watchers that much later (load-tests README, "rooms"). After the last
   * room: the drained watchers, the check against the cluster and the gauges.
   */
  private void tickRooms(Context here, List<Feed> turn, int from) {
    if (stopped) {
      return;
    }
    int to = Math.min(turn.size(), from + TICK_SLICE);
    try {
      for (Feed feed : turn.subList(from, to)) {
        if (feeds.get(feed.feed.room()) == feed) {
          tick(feed);
        }
      }
    } catch (RuntimeException e) {
      ticking = false; // a room that failed its tick must not stop the ticks to come
      throw e;
    }
    if (to < turn.size()) {
      here.runOnContext(v -> tickRooms(here, turn, to));
      return;
    }
    ticking = false;
    resendDrained();
    check();
    metrics.roomWatches(this, tally());
  }

  /** One room's part of a tick: what its watchers are owed now (digest, counts, a snapshot). */
  private void tick(Feed feed) {
    RoomFeed f = feed.feed;
    switch (f.tick()) {
      case DIGEST -> broadcast(feed, mode -> !mode.countsOnly(), ServerMessages.roomDigest(f.room(), f.seq(),
          f.sessions(), f.digest()).encode());
      case COUNTS -> {
        broadcast(feed, mode -> true, ServerMessages.roomCounts(f.room(), f.sessions(), f.users()).encode());
        feed.countsSent = f.countsVersion();
      }
      case SNAPSHOT -> sendSnapshots(feed, mode -> !mode.countsOnly());
      case NONE -> {
      }
    }
    if (f.large() && !feed.wasLarge) {
      // Followers drop their member view with the counts: they get their users' sessions to keep following.
      feed.watchers.forEach((session, mode) -> {
        if (mode.users() != null) {
          List<String> frames = snapshot(feed, mode);
          write(session, watchers.get(session), f.room(), frames.get(frames.size() - 1));
        }
      });
    }
    feed.wasLarge = f.large();
    if (f.live() && feed.countsSent != f.countsVersion()) {
      // Counts-only watchers of a room in members mode: at most once per tick, when the counts moved.
      feed.countsSent = f.countsVersion();
      broadcast(feed, Mode::countsOnly, ServerMessages.roomCounts(f.room(), f.sessions(), f.users()).encode());
    }
  }

  /** @return what the node's watches get now, for its gauges */
  private NodeMetrics.RoomWatchTally tally() {
    long members = 0;
    long counts = 0;
    Set<String> large = new HashSet<>();
    for (Feed feed : feeds.values()) {
      // A large room's watchers all get counts; otherwise only the counts-only ones do.
      if (feed.feed.large()) {
        large.add(feed.feed.room());
        counts += feed.watchers.size();
      } else {
        counts += feed.countsOnly;
        members += feed.watchers.size() - feed.countsOnly;
      }
    }
    return new NodeMetrics.RoomWatchTally(members, counts, Set.copyOf(large));
  }

  /**
   * Watchers whose sockets drained (every frame to them written) get a fresh snapshot of each room they fell behind
   * in, over the budget too (a reader must not wait for the slowest one) but not past its hard cap ({@link
   * WatchBudget#admits}); the next tick tries again.
   */
  private void resendDrained() {
    for (Watcher watcher : List.copyOf(behind)) {
      if (watcher.queued() > 0 || !Boolean.FALSE.equals(queueFull(watcher.ws))) {
        continue;
      }
      if (!budget.admits(0, 0)) {
        return; // past the hard cap: the next tick tries again
      }
      for (String room : watcher.roomsBehind()) {
        caughtUp(watcher, room);
        Feed feed = feeds.get(room);
        Mode mode = feed == null ? null : feed.watchers.get(watcher.session);
        if (mode != null && feed.feed.live()) {
          snapshot(feed, mode).forEach(text -> write(watcher.session, watcher, room, text));
        }
      }
    }
  }

  /**
   * Compares up to {@value #CHECKS_PER_TICK} live rooms' views with the cluster's counters (one batched read, the
   * rooms taken in turn), then audits the rooms checked longest ago.
   */
  private void check() {
    if (checking) {
      return;
    }
    List<String> live = feeds.entrySet().stream().filter(e -> e.getValue().feed.live() && !e.getValue().reading)
        .map(Map.Entry::getKey).toList(); // in name order already
    if (live.isEmpty()) {
      audit(oldestChecked());
      return;
    }
    Set<String> turn = nextTurn(live);
    checking = true;
    rooms.occupancies(turn).onComplete(read -> {
      checking = false;
      if (read.failed()) {
        LOG.debug("room view check skipped: {}", read.cause().toString());
        return;
      }
      Map<String, Long> suspects = disagreeing(read.result(), turn);
      if (!suspects.isEmpty() && !rechecking) {
        rechecking = true;
        vertx.setTimer(RECHECK_MS, id -> recheck(suspects));
      }
      audit(oldestChecked());
    });
  }

  /** The next {@value #CHECKS_PER_TICK} rooms after the last one checked, wrapping around. */
  private Set<String> nextTurn(List<String> live) {
    if (live.size() <= CHECKS_PER_TICK) {
      return new HashSet<>(live);
    }
    int from = 0;
    if (checkCursor != null) {
      int at = java.util.Collections.binarySearch(live, checkCursor);
      from = at >= 0 ? at + 1 : -at - 1;
    }
    Set<String> turn = new HashSet<>();
    for (int i = 0; i < CHECKS_PER_TICK; i++) {
      turn.add(live.get((from + i) % live.size()));
    }
    checkCursor = live.get((from + CHECKS_PER_TICK - 1) % live.size());
    return turn;
  }

  /** @return room → counters' version, for the rooms whose counts differ from the view */
  private Map<String, Long> disagreeing(Map<String, RoomOccupancy> counted, Set<String> names) {
    Map<String, Long> disagreeing = new HashMap<>();
    for (String room : names) {
      Feed feed = feeds.get(room);
      RoomOccupancy occupancy = counted.getOrDefault(room, RoomOccupancy.empty(room));
      if (feed != null && feed.feed.live()
          && (occupancy.sessions() != feed.feed.sessions() || occupancy.users() != feed.feed.users())) {
        disagreeing.put(room, occupancy.version());
      }
    }
    return disagreeing;
  }

  /**
   * Reads the suspects' counters again: a room is audited only if it still disagrees and no join or leave moved its
   * counters in between (its version is the same), so a busy room, whose counts are always a few events ahead of
   * the view, is not re-read for what its events will bring anyway (the age audit still reaches it).
   */
  private void recheck(Map<String, Long> suspects) {
    Set<String> still = new HashSet<>(suspects.keySet());
    still.retainAll(feeds.keySet());
    if (still.isEmpty()) {
      rechecking = false;
      return;
    }
    rooms.occupancies(still).onComplete(read -> {
      rechecking = false;
      if (read.succeeded()) {
        Map<String, Long> confirmed = disagreeing(read.result(), still);
        confirmed.entrySet().removeIf(e -> !e.getValue().equals(suspects.get(e.getKey())));
        audit(List.copyOf(confirmed.keySet()));
      }
    });
  }

  private List<String> oldestChecked() {
    long before = clock.millis() - AUDIT_AGE_MS;
    return feeds.values().stream().filter(f -> f.feed.live() && !f.reading && f.checkedAt < before)
        .sorted(Comparator.comparingLong(f -> f.checkedAt)).limit(AUDITS_PER_TICK).map(f -> f.feed.room()).toList();
  }

  /**
   * Re-reads rooms from the room index and lets their feeds correct their views; at most
   * {@value #MAX_AUDITS_IN_FLIGHT} reads at once per verticle (the others wait for a later tick), so checks never
   * pile up on a cluster that is slow already.
   */
  private void audit(List<String> names) {
    for (String room : names) {
      Feed feed = feeds.get(room);
      if (feed == null || feed.reading || !feed.feed.live() || auditsInFlight >= MAX_AUDITS_IN_FLIGHT) {
        continue;
      }
      feed.reading = true;
      auditsInFlight++;
      long generation = feed.feed.startRead();
      rooms.members(room).onComplete(read -> {
        feed.reading = false;
        auditsInFlight--;
        long now = clock.millis();
        feed.checkedAt = now;
        if (feeds.get(room) != feed) {
          return;
        }
        if (read.failed()) {
          feed.feed.readFailed(generation);
          LOG.debug("room {} view check failed: {}", room, read.cause().toString());
          return;
        }
        RoomFeed.ReadOutcome outcome = feed.feed.finishRead(generation, read.result(), now);
        if (outcome == null) {
          return;
        }
        if (outcome.corrections() > 0) {
          metrics.roomViewCorrected(outcome.corrections());
          LOG.info("room {} view corrected by {} member(s) the events had missed", room, outcome.corrections());
        }
        if (outcome.offer() == RoomFeed.Offer.SCHEDULE_FLUSH) {
          scheduleFlush(feed, now);
        }
        enterCountsIfOutgrown(feed);
      });
    }
  }

  /**
   * The cluster's members changed under the views (a member joined, or this member merged back after a split):
   * presence events published while the sides were apart, or while the event bus reconnected, may never arrive here,
   * and the merge may have kept the other side's occupancy record of a room (Hazelcast keeps one per room), so the
   * counts can agree with a view that misses members, and the count check would not see it. So every live view is
   * re-read from the room index {@value #REVIEW_DELAY_MS} ms later (once the other side's sessions are written back):
   * as many at once as the in-flight limit lets through, the rest by age in the next ticks (their check times are
   * reset). Runs on this instance's context.
   */
  void reviewAll() {
    if (stopped || feeds.isEmpty() || reviewPending) {
      return; // a heal adds its members one after the other: one review covers them all
    }
    reviewPending = true;
    vertx.setTimer(REVIEW_DELAY_MS, id -> {
      reviewPending = false;
      if (stopped) {
        return;
      }
      feeds.values().forEach(feed -> feed.checkedAt = 0);
      audit(List.copyOf(feeds.keySet()));
    });
  }

  private void cancelTimer(Feed feed) {
    if (feed.timer >= 0) {
      vertx.cancelTimer(feed.timer);
      feed.timer = -1;
    }
  }
}
