package dev.presence.transport;

import dev.presence.presence.NickChange;
import dev.presence.room.RoomMembership;
import dev.presence.store.ClusterStoreException;
import dev.presence.transport.FencedNicks.Fenced;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one session does about what its node's batched {@link LeaseRenewal} found: its nickname lease moved on
 * ({@code nick.lost}), its node lost the quorum (self-fencing, then {@code nick.restored} once the quorum is back and
 * nobody else won the nickname; for the global nickname and room nicknames alike), or its presence entry is gone
 * (re-asserted if its client is alive, else closed as ended elsewhere). docs/consistency.md, mechanism 3 and "A healed split".
 *
 * <p>Threading: confined to the connection's event loop, like the connection that owns it.
 */
final class SessionLeaseChecks {

  private static final Logger LOG = LoggerFactory.getLogger(SessionLeaseChecks.class);

  /** What the checks may ask of the connection. Every method runs on its event loop. */
  interface Owner {
    /** @return whether the session is active (welcomed and not closed) */
    boolean isActive();

    /**
     * @param now       epoch ms
     * @param timeoutMs the heartbeat timeout (ms)
     * @return whether a frame from the client arrived within the timeout
     */
    boolean heardWithin(long now, long timeoutMs);

    /** @param message sent to the client */
    void send(JsonObject message);

    /** @param request run in the connection's request queue */
    void enqueue(Supplier<Future<?>> request);

    /** Closes the connection as ended elsewhere (4002; no second end in the cluster). */
    void endedElsewhere();
  }

  private final SessionEnvironment env;
  private final SessionFacts facts;
  private final Owner owner;
  /** The rooms (or {@code null}, the global nickname) whose take-back after self-fencing is in flight. */
  private final Set<String> reclaimsInFlight = new HashSet<>();
  private boolean restoreInFlight;
  /** The last restore failed, maybe after it wrote the entry back: the next one finishes its steps. */
  private boolean restoreUnfinished;

  SessionLeaseChecks(SessionEnvironment env, SessionFacts facts, Owner owner) {
    this.env = env;
    this.facts = facts;
    this.owner = owner;
  }

  /**
   * @return the count of nickname write starts and ends ({@code SessionFacts.nickWrites}); a renewal notes it before
   *     it reads the leases and passes it back to {@link #onNickLost}
   */
  long nickWrites() {
    return facts.nickWrites;
  }

  /**
   * The lease of {@code key} no longer belongs to this session (found at renewal): tell the client.
   *
   * @param key            the nickname key that was renewed
   * @param writesAtRead   {@link #nickWrites()} when the renewal read the lease
   */
  void onNickLost(String key, long writesAtRead) {
    if (!owner.isActive() || !key.equals(facts.nickKey) || facts.nickChangeInFlight || restoreInFlight
        || writesAtRead != facts.nickWrites) {
      // A nickname change in flight released the old key itself, and a re-assertion in flight reclaims the key:
      // their answers set the truth. A write in flight at any time since the renewal's read may have landed before it
      // or after (no order between the answers): that read proves nothing, and the next renewal checks again.
      return;
    }
    nickTakenElsewhere();
    // Clears the nickname shown in presence; the lease itself is no longer ours (or unreachable without
    // quorum), so a failure here is no news for the client.
    owner.enqueue(() -> env.service().releaseNick(facts.session, facts.user, key).otherwise(t -> null));
  }

  /**
   * The lease of a room nickname no longer belongs to this session (found at renewal: expired, taken by another
   * session of the user), or cannot be renewed because this node lost the nickname quorum (self-fencing): the client
   * is told {@code nick.lost} with the room, and the membership shows no room nickname (a {@code room.update}). As
   * for the global nickname, one lost to self-fencing is remembered and taken back once the quorum returns
   * ({@link #reclaimFencedNicks}); its lease is kept for that (it expires if nobody renews it).
   *
   * @param room         the room
   * @param nickKey      the room nickname's key that was renewed
   * @param writesAtRead {@link #nickWrites()} when the renewal read the lease (not read for a fenced one)
   * @param fenced       whether the renewal failed for want of the quorum (self-fencing) rather than finding the
   *                     lease gone
   */
  void onRoomNickLost(String room, String nickKey, long writesAtRead, boolean fenced) {
    RoomMembership known = facts.rooms.membership(room);
    if (!owner.isActive() || known == null || !nickKey.equals(known.nickKey())) {
      return;
    }
    if (!fenced && (restoreInFlight || writesAtRead != facts.nickWrites)) {
      // As for the global nickname: a write in flight since the read makes the read prove nothing. Self-fencing read
      // nothing: without the quorum no nickname can be renewed, whatever a write in flight does (as onNickFenced).
      return;
    }
    if (fenced) {
      facts.fenced.remember(room, known.nick(), nickKey);
    }
    facts.rooms.replace(room, m -> m.withNick(null, null));
    LOG.info("session {} lost its nickname {} in room {}", facts.session, known.nick(), room);
    owner.send(ServerMessages.roomNickLost(known.nick(), room));
    owner.enqueue(() -> env.service().rooms().nicknames().drop(facts.asEntry(env.service().node()), room, known).otherwise(t -> false));
  }

  /**
   * Self-fencing: this node lost the nickname quorum, so it cannot know whether the majority gave the nickname to
   * someone else; the client is told {@code nick.lost} now, and the nickname is remembered to be taken back once
   * the quorum returns ({@link #reclaimFencedNicks}).
   *
   * @param key the nickname key that could not be renewed
   */
  void onNickFenced(String key) {
    if (!owner.isActive() || !key.equals(facts.nickKey)) {
      return;
    }
    facts.fenced.remember(null, facts.nick, key);
    nickTakenElsewhere();
    // Only the shown nickname is cleared: the lease is kept for the reclaim (it expires if nobody renews it).
    owner.enqueue(() -> env.service().showNoNick(facts.session, facts.user).otherwise(t -> null));
  }

  /**
   * Takes back the nicknames lost to self-fencing (the global one and room nicknames alike) once the quorum is back,
   * each if nobody else got it meanwhile ({@code NickLeasePolicy.reclaim}): the client is told {@code nick.restored}
   * (with {@code room} for a room nickname). Without quorum yet, each is tried again at the next renewal; if another
   * session holds it now, it stays lost (the client was told already). One take-back per nickname at a time.
   */
  void reclaimFencedNicks() {
    if (!owner.isActive()) {
      return;
    }
    for (Fenced lost : facts.fenced.all()) {
      if (reclaimsInFlight.add(lost.room())) {
        reclaim(lost);
      }
    }
  }

  private void reclaim(Fenced lost) {
    facts.nickWrites++;
    owner.enqueue(() -> startReclaim(lost).map(change -> {
      reclaimDone(lost);
      if (!lost.equals(facts.fenced.get(lost.room()))) {
        return null; // the client moved on meanwhile (FencedNicks.forget)
      }
      facts.fenced.forget(lost.room());
      if (change instanceof NickChange.Claimed claimed) {
        restored(lost.room(), claimed);
      }
      return null;
    }).recover(stillNoQuorum -> {
      reclaimDone(lost);
      return Future.succeededFuture();
    }));
  }

  /** Runs in the request queue, so {@link SessionFacts#rooms} is exact here. */
  private Future<NickChange> startReclaim(Fenced lost) {
    if (lost.room() == null) {
      return env.service().reclaimNick(facts.session, facts.user, lost.nick(), lost.key());
    }
    RoomMembership known = facts.rooms.membership(lost.room());
    if (known == null || known.nickKey() != null) {
      // Left or kicked (which forget the record already), or a room nickname held since: nothing to take back.
      return Future.succeededFuture(new NickChange.Rejected("not_in_room", "no room nickname to take back"));
    }
    return env.service().rooms().nicknames().reclaim(facts.asEntry(env.service().node()), lost.room(), known, lost.nick(), lost.key());
  }

  private void reclaimDone(Fenced lost) {
    reclaimsInFlight.remove(lost.room());
    facts.nickWrites++;
  }

  /** A nickname lost to self-fencing is the session's own again: the connection's facts and the client learn it. */
  private void restored(String room, NickChange.Claimed claimed) {
    if (room == null) {
      if (facts.nickKey == null) {
        facts.nick = claimed.nick();
        facts.nickKey = claimed.key();
        LOG.info("session {} took back nickname {} after the quorum returned", facts.session, claimed.nick());
        owner.send(ServerMessages.nickRestored(claimed.nick(), claimed.fencingToken()));
      }
      return;
    }
    RoomMembership known = facts.rooms.membership(room);
    if (known != null && known.nickKey() == null) {
      facts.rooms.replace(room, m -> m.withNick(claimed.nick(), claimed.key()));
      LOG.info("session {} took back nickname {} in room {} after the quorum returned", facts.session,
          claimed.nick(), room);
      owner.send(ServerMessages.roomNickRestored(claimed.nick(), claimed.fencingToken(), room));
    }
  }

  /**
   * @return whether this session's last restore failed: the renewal must run it again even if it finds the entry
   *     (that restore may have written it back before it failed), through {@link #onPresenceLeaseMissing}
   */
  boolean restoreUnfinished() {
    return restoreUnfinished;
  }

  /** @return whether this session has a nickname to take back once the quorum returns */
  boolean hasFencedNick() {
    return !facts.fenced.isEmpty();
  }

  /** The session's nickname lease belongs to another session now: forget it and tell the client. */
  private void nickTakenElsewhere() {
    String lost = facts.nick;
    facts.nick = null;
    facts.nickKey = null;
    if (lost != null) {
      LOG.warn("session {} user {} lost nickname {}", facts.session, facts.user, lost);
      owner.send(ServerMessages.nickLost(lost));
    }
  }

  /**
   * The renewal found the session's presence entry gone. If the client was heard from within the heartbeat timeout,
   * it is alive and, by the client rule, still believes it is present: the session is re-asserted (a healed split
   * discarded the entry, or a node that could not hear this one evicted it; docs/consistency.md). If this node
   * itself just woke from a pause, a silent client gets a timeout to answer the ping it was just sent. Otherwise
   * the session was ended elsewhere and is closed here without a second end.
   *
   * @param now epoch ms
   */
  void onPresenceLeaseMissing(long now) {
    if (!owner.isActive()) {
      return;
    }
    long timeoutMs = env.heartbeat().timeoutMs();
    if (!owner.heardWithin(now, timeoutMs)) {
      // (overdue: this loop is waking up right now and its pause timer has not ticked yet)
      // Twice the timeout: the heartbeat check, which counts the timeout from the end of the pause, judges first.
      if (env.pauses().overdue(now) || env.pauses().resumedWithin(now, 2 * timeoutMs)) {
        // This node just stood still: the client's silence may be ours. It has been pinged again; if it answers,
        // a later renewal re-asserts it; if not, the heartbeat check ends it (with no second leave: the entry is
        // gone).
        LOG.debug("session {} has no entry and was silent while this node stood still: waiting for its answer",
            facts.session);
        return;
      }
      LOG.info("session {} has no entry and its client was not heard within {} ms: ended elsewhere", facts.session,
          timeoutMs);
      owner.endedElsewhere();
      return;
    }
    if (restoreInFlight) {
      return; // several re-checks may report the same loss; one restore answers them all
    }
    restoreInFlight = true;
    facts.nickWrites++;
    owner.enqueue(() -> env.service().restores().restore(facts.session, facts.user, facts.nick, facts.nickKey,
        facts.status, facts.connectedAt, facts.resumeGeneration, facts.rooms.membershipsAsMap(), restoreUnfinished)
        .map(outcome -> {
          restoreUnfinished = false;
          switch (outcome) {
            case MOVED -> {
              LOG.info("session {} is owned by another node now: closing this connection", facts.session);
              owner.endedElsewhere();
            }
            case RESTORED_WITHOUT_NICK -> nickTakenElsewhere();
            case RESTORED -> LOG.info("session {} re-asserted after its entry was lost", facts.session);
          }
          return null;
        }).recover(failure -> {
          if (!(failure instanceof ClusterStoreException)) {
            return Future.failedFuture(failure); // a bug: the connection answers it (1011)
          }
          // Nobody asked: the client is not told an error. The entry may have been written back before the failure
          // (a renewal then finds it present), so the next renewal runs the restore again whatever it finds
          // (restoreUnfinished), until it ends (without the quorum, until the quorum returns).
          restoreUnfinished = true;
          LOG.warn("session {} could not be re-asserted yet: {}", facts.session, failure.toString());
          return Future.succeededFuture();
        }).onComplete(done -> {
          restoreInFlight = false;
          facts.nickWrites++;
        }));
  }
}
