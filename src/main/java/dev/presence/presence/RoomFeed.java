package dev.presence.presence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room's presence as the node's watchers see it: the pure state machine behind room watching
 * (docs/protocol.md §12.1). It keeps the room's members (built from a store read, then from events), numbers the
 * diffs it hands out ({@link #seq()}: consecutive per feed, so a client that sees a gap knows it missed one), folds
 * a batch window's changes into one diff per room, whatever the number of watchers, and merges store reads into
 * the view so that a missed event (the event bus is best-effort) is corrected, never kept. No I/O and no clock:
 * every method that depends on time takes {@code now} (epoch ms).
 *
 * <p>Store reads and events race: a read started before an event may answer after it. While a read is in flight
 * the feed notes every session an event touched; the read's answer is applied only to the others, so an event is
 * never undone by an older read (the next read sees what the event did).
 *
 * <p>Large rooms: above {@code largeThreshold} members the feed switches its watchers to counts (no diffs, a
 * {@code presence.counts} at most once per tick), at the first tick that finds it there, which its owner runs at once
 * when it sees the feed {@link #outgrown()}; below nine tenths of it, back to members with a fresh snapshot (at a
 * periodic tick: leaving counts mode late costs nothing).
 *
 * <p>Threading: not thread-safe; owned by one context (the node's room watches, {@code RoomWatchHost}).
 */
public final class RoomFeed {

  /** The {@code reason} of a leave the feed made itself: the member was gone from the store (a missed event). */
  public static final String GONE = "gone";

  /** What the caller must do after {@link #offer}. */
  public enum Offer {
    /** Not a change of this room's view. */
    IGNORED,
    /** Applied; nothing to schedule (a flush is due already, the feed is loading, or it sends counts). */
    QUEUED,
    /** Applied as the first change of a batch: flush at {@link #flushDueAt()}. */
    SCHEDULE_FLUSH
  }

  /** What a tick asks the caller to send to every watcher in sync. */
  public enum Tick {
    /** Nothing. */
    NONE,
    /** The diffs since the last digest: send {@code presence.digest}. */
    DIGEST,
    /** Counts mode, and the counts changed (or the mode was just entered): send {@code presence.counts}. */
    COUNTS,
    /** The room left counts mode: send each watcher a fresh {@code presence.state}. */
    SNAPSHOT
  }

  /**
   * One batch of changes, numbered.
   *
   * @param seq  the feed's sequence number of this diff (the previous diff, or the snapshot, had {@code seq - 1})
   * @param diff the changes: at most one per session (its state before the batch against its state now)
   */
  public record Batch(long seq, PresenceDiff diff) {
  }

  /**
   * What a store read changed.
   *
   * @param loaded      true if this was the feed's first read: it is live now, send every watcher a snapshot
   * @param corrections members added or removed because the read disagreed with the view (0 on the first read)
   * @param offer       whether a flush must be scheduled for the corrections
   */
  public record ReadOutcome(boolean loaded, int corrections, Offer offer) {
  }

  /** Told when a session enters or leaves the view (the caller indexes members to route global events). */
  public interface MemberListener {
    /**
     * The instance to keep for a member's entry: an equal one that another view of the node already
     * holds, so that a session in several watched rooms costs one entry, not one per room (heap per membership,
     * issue #13). Called before {@link #added} for a member new to the view.
     *
     * @param entry the entry a view is about to keep (slim: no rooms)
     * @return {@code entry} or an equal instance
     */
    default PresenceEntry shared(PresenceEntry entry) {
      return entry;
    }

    /**
     * @param session a session now in the view
     * @param room    this feed's room
     */
    void added(String session, String room);

    /**
     * @param session a session no longer in the view
     * @param room    this feed's room
     */
    void removed(String session, String room);
  }

  /** A session's change within the current batch: its entry before the batch and the last event's kind. */
  private static final class Change {
    final RoomMember before;
    String kind;
    String reason;

    Change(RoomMember before) {
      this.before = before;
    }
  }

  private final String room;
  private final int largeThreshold;
  private final long batchWindowMs;
  private final MemberListener listener;
  /**
   * Session → member, in session-id order ({@link String#compareTo}, the digest's order): a snapshot and a digest walk
   * it as it is instead of sorting every member each time (a tick digests every room that changed). Sorted arrays,
   * not a {@code TreeMap}: no entry object per membership on every node (heap per membership, issue #13).
   */
  private final RoomFeedMembers view = new RoomFeedMembers();
  /** User → sessions of that user in the view, for {@link #users()}; no object per user, likewise. */
  private final RoomFeedUserCounts perUser = new RoomFeedUserCounts();
  private final Map<String, Change> batch = new LinkedHashMap<>();
  private boolean live;
  private boolean large;
  private boolean countsChanged;
  /** Whether diffs are still collected in counts mode (a watcher asked for some users' diffs in a large room). */
  private boolean batchWhenLarge;
  /** Incremented by every member added or removed: a counts-only watcher is owed counts when it moved. */
  private long countsVersion;
  /** The last digest computed, of the member set at {@link #digestVersion}; {@code null} before the first. */
  private String digest;
  private long digestVersion;
  private long seq;
  private long digestedSeq;
  private long flushDueAt = -1;
  private long readGeneration;
  /** Sessions an event touched while a read is in flight; {@code null} when none is. */
  private Set<String> touched;

  /**
   * Starts loading: events are applied to the view but no diff is produced until the first read is applied
   * ({@link #finishRead}).
   *
   * @param room           the room
   * @param largeThreshold members above which watchers get counts ({@code PRESENCE_ROOM_LARGE}, at least 1)
   * @param batchWindowMs  how long (ms) the first change of a batch waits for others (at least 0)
   * @param listener       told of every session entering or leaving the view
   */
  public RoomFeed(String room, int largeThreshold, long batchWindowMs, MemberListener listener) {
    if (largeThreshold < 1 || batchWindowMs < 0) {
      throw new IllegalArgumentException("the large threshold must be >= 1 and the batch window >= 0");
    }
    this.room = room;
    this.largeThreshold = largeThreshold;
    this.batchWindowMs = batchWindowMs;
    this.listener = listener;
  }

  /** @return the room */
  public String room() {
    return room;
  }

  /** @return whether the first store read was applied (snapshots may be sent) */
  public boolean live() {
    return live;
  }

  /** @return whether watchers get counts instead of members */
  public boolean large() {
    return large;
  }

  /**
   * @return whether the view has more members than {@code PRESENCE_ROOM_LARGE} while still in members mode: the next
   *     {@link #tick()} switches it to counts, and its caller should tick it now rather than wait
   */
  public boolean outgrown() {
    return live && !large && view.size() > largeThreshold;
  }

  /**
   * @param keep whether diffs are collected in counts mode too (some watcher of this room asked for chosen users'
   *             diffs, docs/protocol.md §12.1); the caller filters them per watcher
   */
  public void batchWhenLarge(boolean keep) {
    batchWhenLarge = keep;
  }

  /** @return a number that moves whenever the counts do (a member added or removed) */
  public long countsVersion() {
    return countsVersion;
  }

  /** @return the sequence number of the last diff handed out (a snapshot sent now carries it) */
  public long seq() {
    return seq;
  }

  /** @return epoch ms when the pending batch is due, or -1 if none is pending */
  public long flushDueAt() {
    return flushDueAt;
  }

  /** @return sessions in the view */
  public int sessions() {
    return view.size();
  }

  /** @return distinct users in the view */
  public int users() {
    return perUser.size();
  }

  /** @return whether the session is in the view */
  public boolean contains(String session) {
    return view.containsKey(session);
  }

  /** @return the view's members now, pending changes included, ordered by session id (see {@link #membersAtSeq()}) */
  public List<RoomMember> members() {
    return new ArrayList<>(view.members());
  }

  /**
   * The members a client has once it applied every diff up to {@link #seq()}: the view with each change of the pending
   * batch undone (a session the batch added is left out, one it changed or removed is shown as it was before). This,
   * not {@link #members()}, is what a snapshot labelled {@link #seq()} must carry: the pending changes reach the
   * watcher in the next diff, and a join and a leave in one window cancel out in that diff, so a snapshot that showed
   * the join would keep a member no diff ever removes.
   *
   * @return the members as of {@link #seq()}, ordered by session id (a fresh list)
   */
  public List<RoomMember> membersAtSeq() {
    if (batch.isEmpty()) {
      return members();
    }
    List<RoomMember> before = new ArrayList<>(batch.size());
    batch.values().forEach(change -> {
      if (change.before != null) {
        before.add(change.before);
      }
    });
    before.sort(Comparator.comparing(RoomMember::session));
    List<RoomMember> current = view.members();
    List<RoomMember> out = new ArrayList<>(current.size() + before.size());
    int b = 0;
    for (RoomMember member : current) {
      if (batch.containsKey(member.session())) {
        continue; // shown as it was before the batch, from the other list
      }
      while (b < before.size() && before.get(b).session().compareTo(member.session()) < 0) {
        out.add(before.get(b++));
      }
      out.add(member);
    }
    while (b < before.size()) {
      out.add(before.get(b++));
    }
    return out;
  }

  /** @return the view's session ids (for the caller's member index when the feed is dropped) */
  public Collection<String> sessionIds() {
    return List.copyOf(view.ids());
  }

  /**
   * The digest of the view a client has once it applied every diff up to {@link #seq()}: SHA-256 over the member
   * session ids, sorted (UTF-16 order, as {@link String#compareTo}), joined by {@code \n}, as lower-case hex.
   *
   * @return the digest (of the empty string for an empty room)
   */
  public String digest() {
    // The member set moves only with countsVersion: a diff of statuses or nicknames leaves the digest as it was.
    if (digest == null || digestVersion != countsVersion) {
      digest = sortedDigest(view.ids());
      digestVersion = countsVersion;
    }
    return digest;
  }

  /**
   * @param sessions session ids
   * @return SHA-256 over the ids sorted and joined by {@code \n}, lower-case hex (docs/protocol.md §12.1)
   */
  public static String digestOf(Collection<String> sessions) {
    List<String> sorted = new ArrayList<>(sessions);
    sorted.sort(null);
    return sortedDigest(sorted);
  }

  /** The digest of ids already in order, hashed one id at a time (no joined copy of the room). */
  private static String sortedDigest(Iterable<String> sorted) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    boolean first = true;
    for (String session : sorted) {
      if (!first) {
        sha.update((byte) '\n');
      }
      first = false;
      sha.update(session.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * A change published on the cluster: {@code room.join} / {@code room.leave} / {@code room.update} of this room, or
   * a global change
   * ({@code nick}, {@code status}, {@code suspect}, {@code resumed}, {@code leave}) of a session in the view.
   *
   * @param event the change
   * @param now   epoch ms
   * @return what to do next
   */
  public Offer offer(PresenceEvent event, long now) {
    String session = event.session();
    if (session == null || (event.room() != null && !room.equals(event.room()))) {
      return Offer.IGNORED;
    }
    RoomMember before = view.get(session);
    RoomMember after;
    switch (event.event()) {
      case PresenceEvent.ROOM_JOIN -> after = new RoomMember(before == null ? entryOf(event)
          : before.entry().withNick(event.nick(), before.entry().nickKey()), event.roomNick(), event.roomMeta());
      case PresenceEvent.ROOM_UPDATE -> after = before == null ? null
          : new RoomMember(before.entry(), event.roomNick(), event.roomMeta());
      case PresenceEvent.ROOM_LEAVE, "leave" -> after = null;
      case "nick", "status", "suspect", "resumed" -> after = before == null ? null
          : new RoomMember(updated(before.entry(), event), before.roomNick(), before.roomMeta());
      default -> {
        return Offer.IGNORED;
      }
    }
    if (before == null && after == null) {
      if (touched != null) {
        touched.add(session); // a leave the read may not have seen yet
      }
      return Offer.IGNORED;
    }
    if (touched != null) {
      touched.add(session);
    }
    put(session, before, after);
    return note(session, before, event.event(), event.reason(), now);
  }

  /**
   * Starts a store read of the room's members; events from now on are noted so the read cannot undo them.
   *
   * @return the read's generation, to pass to {@link #finishRead} (a newer read makes an older one stale)
   */
  public long startRead() {
    touched = new HashSet<>();
    return ++readGeneration;
  }

  /**
   * A store read ended without an answer: the feed stays as it is (loading if it never loaded).
   *
   * @param generation the read's {@link #startRead()} value
   */
  public void readFailed(long generation) {
    if (generation == readGeneration) {
      touched = null;
    }
  }

  /**
   * Applies a store read's members to the view, except sessions an event touched since the read started. On the
   * first read the feed goes live; on later ones each disagreement becomes a change of the next diff (a member the
   * store lacks leaves with reason {@link #GONE}).
   *
   * @param generation the read's {@link #startRead()} value
   * @param members    every member the store lists for the room
   * @param now        epoch ms
   * @return what changed; {@code null} if the read was stale (a newer one started)
   */
  public ReadOutcome finishRead(long generation, List<PresenceEntry> members, long now) {
    if (generation != readGeneration || touched == null) {
      return null;
    }
    Set<String> skip = touched;
    touched = null;
    Map<String, RoomMember> stored = new HashMap<>();
    members.forEach(e -> stored.put(e.session(), RoomMember.of(e, room)));
    int corrections = 0;
    Offer offer = Offer.QUEUED;
    for (String session : List.copyOf(view.ids())) { // a copy: put removes from the view as it goes
      if (!stored.containsKey(session) && !skip.contains(session)) {
        RoomMember before = view.get(session);
        put(session, before, null);
        corrections++;
        offer = worse(offer, note(session, before, "leave", GONE, now));
      }
    }
    for (RoomMember entry : stored.values()) {
      if (skip.contains(entry.session())) {
        continue;
      }
      RoomMember before = view.get(entry.session());
      if (before == null) {
        put(entry.session(), null, entry);
        corrections++;
        offer = worse(offer, note(entry.session(), null, PresenceEvent.ROOM_JOIN, null, now));
      } else if (!sameView(before, entry)) {
        put(entry.session(), before, entry);
        offer = worse(offer, note(entry.session(), before, "status", null, now));
      }
    }
    if (!live) {
      live = true;
      large = view.size() > largeThreshold;
      batch.clear(); // the snapshot carries all of it
      flushDueAt = -1;
      return new ReadOutcome(true, 0, Offer.QUEUED);
    }
    return new ReadOutcome(false, corrections, offer);
  }

  /**
   * The batch, if it is due.
   *
   * @param now epoch ms
   * @return the numbered diff (the batch is emptied), or {@code null} when not live, in counts mode (unless diffs are
   *     kept for chosen users, {@link #batchWhenLarge}), nothing is pending, the batch is not due yet, or every change
   *     cancelled out (a join and a leave in one window)
   */
  public Batch takeDue(long now) {
    if (!live || (large && !batchWhenLarge) || batch.isEmpty() || now < flushDueAt) {
      return null;
    }
    List<PresenceEvent> joins = new ArrayList<>();
    List<PresenceEvent> leaves = new ArrayList<>();
    List<PresenceEvent> updates = new ArrayList<>();
    for (Map.Entry<String, Change> change : batch.entrySet()) {
      RoomMember before = change.getValue().before;
      RoomMember after = view.get(change.getKey());
      if (before == null && after != null) {
        joins.add(asEvent("join", after, null));
      } else if (before != null && after == null) {
        leaves.add(asEvent("leave", before, change.getValue().reason));
      } else if (before != null) {
        String kind = change.getValue().kind;
        updates.add(asEvent(PresenceEvent.ROOM_JOIN.equals(kind) ? "status" : kind, after,
            change.getValue().reason));
      }
    }
    batch.clear();
    flushDueAt = -1;
    if (joins.isEmpty() && leaves.isEmpty() && updates.isEmpty()) {
      return null;
    }
    return new Batch(++seq, new PresenceDiff(joins, leaves, updates));
  }

  /**
   * The periodic tick (every {@code PRESENCE_ROOM_DIGEST_MS}): switches between members and counts, and says what
   * the watchers are owed.
   *
   * @return {@link Tick#SNAPSHOT} when the room just left counts mode, {@link Tick#COUNTS} when counts are owed,
   *     {@link Tick#DIGEST} when diffs went out since the last digest and no batch is pending (else the digest waits
   *     for a later tick), else {@link Tick#NONE}
   */
  public Tick tick() {
    if (!live) {
      return Tick.NONE;
    }
    if (!large && view.size() > largeThreshold) {
      large = true;
      batch.clear();
      flushDueAt = -1;
      countsChanged = false;
      return Tick.COUNTS;
    }
    if (large && view.size() <= largeThreshold * 9L / 10) {
      large = false;
      digestedSeq = seq; // the snapshot carries the view: no digest owed
      return Tick.SNAPSHOT;
    }
    if (large) {
      boolean owed = countsChanged;
      countsChanged = false;
      return owed ? Tick.COUNTS : Tick.NONE;
    }
    // Only with no batch pending: the view then is exactly what a client has after the diff numbered seq.
    if (seq != digestedSeq && batch.isEmpty()) {
      digestedSeq = seq;
      return Tick.DIGEST;
    }
    return Tick.NONE;
  }

  private Offer note(String session, RoomMember before, String kind, String reason, long now) {
    if (!live) {
      return Offer.QUEUED; // the first read's snapshot carries it
    }
    if (large) {
      countsChanged = true;
      if (!batchWhenLarge) {
        return Offer.QUEUED;
      }
    }
    Change change = batch.computeIfAbsent(session, s -> new Change(before));
    change.kind = kind;
    change.reason = reason;
    if (flushDueAt < 0) {
      flushDueAt = now + batchWindowMs;
      return Offer.SCHEDULE_FLUSH;
    }
    return Offer.QUEUED;
  }

  private void put(String session, RoomMember before, RoomMember after) {
    if (before == null || after == null) {
      countsVersion++;
    }
    if (after == null) {
      view.remove(session);
      perUser.decrement(before.entry().user());
      listener.removed(session, room);
    } else {
      PresenceEntry shared = listener.shared(after.entry());
      view.put(session, shared == after.entry() ? after : new RoomMember(shared, after.roomNick(), after.roomMeta()));
      if (before == null) {
        perUser.increment(after.entry().user());
        listener.added(session, room);
      }
    }
  }

  private static Offer worse(Offer a, Offer b) {
    return a == Offer.SCHEDULE_FLUSH || b == Offer.SCHEDULE_FLUSH ? Offer.SCHEDULE_FLUSH : Offer.QUEUED;
  }

  /** Whether two views of one member show watchers the same thing. */
  private static boolean sameView(RoomMember x, RoomMember y) {
    PresenceEntry a = x.entry();
    PresenceEntry b = y.entry();
    return java.util.Objects.equals(a.nick(), b.nick()) && a.node().equals(b.node()) && a.status().equals(b.status())
        && a.isHeld() == b.isHeld() && java.util.Objects.equals(x.roomNick(), y.roomNick())
        && java.util.Objects.equals(x.roomMeta(), y.roomMeta());
  }

  private static PresenceEntry entryOf(PresenceEvent e) {
    // Since the session connected, as a snapshot shows it; an older node's join has no since: its join time then.
    return new PresenceEntry(e.session(), e.user(), e.nick(), null, e.node(), e.since() > 0 ? e.since() : e.at(), 0, 0,
        e.status());
  }

  private static PresenceEntry updated(PresenceEntry before, PresenceEvent e) {
    PresenceEntry after = before;
    if (e.event().equals("resumed")) {
      after = after.resumedOn(e.node(), e.at());
    } else if (e.event().equals("suspect")) {
      after = after.hold(Math.max(1, e.at()));
    }
    if (e.status() != null) {
      after = after.withStatus(e.status());
    }
    return after.withNick(e.nick(), after.nickKey());
  }

  /** A view member as the event {@code ServerMessages} encodes in a diff. */
  private PresenceEvent asEvent(String kind, RoomMember member, String reason) {
    PresenceEntry e = member.entry();
    String wireReason = "leave".equals(kind) || "suspect".equals(kind) ? reason : null;
    return new PresenceEvent(kind, e.session(), e.user(), e.nick(), e.node(), wireReason, e.connectedAt(), 0,
        e.status(), null, member.roomNick(), member.roomMeta());
  }
}
