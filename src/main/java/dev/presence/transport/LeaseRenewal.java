package dev.presence.transport;

import dev.presence.nickname.NickLease;
import dev.presence.room.RoomNicknames;
import dev.presence.session.SessionRegistry;
import dev.presence.store.ClientErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched lease renewal and fencing for the sessions of one verticle instance: one presence call, one nickname
 * call and one session-slot call per renewal period, never one per session or per heartbeat. What the renewal
 * finds is acted on at once: a session whose presence lease is gone is re-asserted if its client is alive (a healed
 * split, an eviction by a node that could not hear this one) or else closed with 4002 (ended elsewhere); a nickname
 * lease that moved on is {@code nick.lost};
 * without quorum every nickname is told lost (self-fencing on the minority side of a split).
 *
 * <p>Threading: confined to the verticle instance's event loop (its timers and event-bus consumers run there).
 */
final class LeaseRenewal {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewal.class);

  private final Vertx vertx;
  private final NodeServices node;
  private final SessionRegistry<ClientConnection> registry;
  private boolean recheckQueued;
  /** Eviction requests answered by the re-check now queued (for its one log line). */
  private int evictionsDoubted;
  private final SingleFlightBatch batches;

  LeaseRenewal(Vertx vertx, NodeServices node, SessionRegistry<ClientConnection> registry) {
    this.vertx = vertx;
    this.node = node;
    this.registry = registry;
    this.batches = new SingleFlightBatch("lease renewal", this::renewBatch, node.config().leaseTtlMs(),
        System::nanoTime);
  }

  /**
   * Coalesces the re-checks asked for by eviction doubts (a confused node may send hundreds at once) into one
   * request of the renewal batch and one log line, in the event loop's next turn.
   */
  private void requestRecheck() {
    if (!recheckQueued) {
      recheckQueued = true;
      vertx.runOnContext(v -> {
        recheckQueued = false;
        if (evictionsDoubted > 0) {
          LOG.warn("{} eviction(s) of live sessions requested as expired or node_lost: re-checking leases instead",
              evictionsDoubted);
          evictionsDoubted = 0;
        }
        renew();
      });
    }
  }

  /**
   * The node's leases are in doubt (it lost the nickname quorum, or merged back after a split): re-checks at once, not
   * behind a batch in flight, which a cut-off member may hold up until it is removed, so self-fencing comes as soon
   * as the quorum is gone (docs/consistency.md, mechanism 3). Rare by nature: one per quorum loss or merge.
   */
  void recheckNow() {
    batches.requestNow();
  }

  /** The verticle stops: its share of the node's room gauges goes. Event loop. */
  void stop() {
    node.metrics().forgetLoop(this);
  }

  /**
   * Another node asked to evict a session this node still serves, as expired or as lost with its node: this node is
   * alive to read it, so the sender may be the confused one. Re-checks the leases instead of obeying (the check
   * closes the session, 4002, only if its entry is really gone), logging one line per coalesced re-check rather than
   * one per session: a sweep on a slow cluster can ask about thousands at once.
   *
   * @param session the session named
   */
  void recheckInsteadOfEvicting(String session) {
    LOG.debug("eviction of live session {} requested as expired or node_lost: re-checking leases instead", session);
    evictionsDoubted++;
    requestRecheck();
  }

  /**
   * After a pause the node may believe it holds leases that the rest of the cluster has since evicted
   * and handed on. It re-checks them at once (fencing: sessions whose lease moved on are told
   * {@code nick.lost} or closed with 4002), and again after Hazelcast has had time to notice that the
   * other members gave up on it (then the nickname map answers "no quorum" and the node self-fences).
   *
   * <p>Called when the event loop resumes after a standstill ({@code LoopStall#rechecks}), which the caller has logged.
   */
  void afterPause() {
    batches.requestNow(); // a batch in flight since before the pause answers for a cluster that may be gone
    vertx.setTimer(2_000, id -> renew());
    vertx.setTimer(6_000, id -> renew());
  }

  /**
   * Renews every lease of this instance's active sessions in one batch per map, one batch at a time
   * ({@link SingleFlightBatch}: asked while a batch is in flight, it runs once more after that batch completes). Without
   * that, a slow cluster turned every periodic tick, pause
   * and re-check request into another full batch queued behind the last: in the {@code rooms} load scenario, 279
   * batches of 4,750 keys each waited on one node's partition threads, their key sets and results filled the heap,
   * the renewals fell further behind, the other node asked for more re-checks, and both nodes collapsed.
   */
  void renew() {
    batches.request();
  }

  /** @return completes when the presence, nickname and slot calls all completed (failed or not) */
  private Future<?> renewBatch() {
    Set<String> sessions = new HashSet<>();
    Set<String> users = new HashSet<>();
    Map<String, String> sessionByNick = new HashMap<>();
    Map<String, RoomNickHeld> roomNicks = new HashMap<>();
    Map<String, Long> nickWritesBySession = new HashMap<>();
    Set<String> unfinishedRestores = new HashSet<>();
    long memberships = 0;
    for (ClientConnection connection : registry.snapshot()) {
      String session = connection.activeSession();
      if (session != null && connection.leaseChecks().hasFencedNick()) {
        // Fails at once, without a cluster call, while the quorum is missing.
        connection.leaseChecks().reclaimFencedNicks();
      }
      if (session != null && connection.leaseChecks().restoreUnfinished()) {
        unfinishedRestores.add(session);
      }
      if (session != null) {
        sessions.add(session);
        users.add(connection.user());
        if (connection.nickKey() != null) {
          sessionByNick.put(connection.nickKey(), session);
        }
        // Room nicknames ride in the same batch: more keys, not more calls (docs/consistency.md, "Room nicknames").
        connection.roomNickKeys().forEach((room, key) ->
            roomNicks.put(RoomNicknames.leaseKey(room, key), new RoomNickHeld(session, room, key)));
        nickWritesBySession.put(session, connection.leaseChecks().nickWrites());
        memberships += connection.roomCount();
      }
    }
    node.metrics().roomMemberships(this, memberships); // this pass visits every session anyway: no pass of its own
    long now = node.clock().millis();
    long ttl = node.config().leaseTtlMs();
    long started = System.nanoTime();
    Future<Set<String>> presence = node.presenceStore().renewAll(sessions, node.service().node(), now, ttl)
        .onFailure(t -> LOG.warn("presence lease renewal failed: {}", t.toString()));
    Set<String> nickKeys = new HashSet<>(sessionByNick.keySet());
    nickKeys.addAll(roomNicks.keySet());
    Future<Map<String, NickLease>> nicknames = node.nicknameStore().renewAll(nickKeys, node.service().node(), now,
        ttl);
    // A failed slot renewal is only logged: the slots stay valid until their TTL and the next batch retries.
    Future<?> slots = node.service().renewSessionSlots(users)
        .onFailure(t -> LOG.warn("session slot renewal failed: {}", t.toString()));
    // Presence first: a session whose entry is gone is re-asserted or closed, and its nickname is then the
    // re-assertion's business (it reclaims what is still its own), not a nick.lost of this renewal.
    Future.join(presence, nicknames).onComplete(done -> {
      Set<String> missing = new HashSet<>(presence.succeeded() ? presence.result() : Set.of());
      // A failed restore may have written the entry back before it failed: it is run again as if the entry were
      // missing, whatever this renewal found, until it ends.
      missing.addAll(unfinishedRestores);
      missing.forEach(session -> onPresenceLeaseMissing(session, now));
      Map<String, String> stillPresent = new HashMap<>(sessionByNick);
      stillPresent.values().removeAll(missing);
      roomNicks.values().removeIf(held -> missing.contains(held.session()));
      if (nicknames.succeeded()) {
        checkNickLeases(stillPresent, nicknames.result(), nickWritesBySession);
        checkRoomNickLeases(roomNicks, nicknames.result(), nickWritesBySession, false);
      } else {
        onNickRenewalFailed(stillPresent, nicknames.cause());
        if (ClientErrors.isNoQuorum(nicknames.cause())) {
          // Self-fencing covers room nicknames too, and they are taken back as the global one (SessionLeaseChecks).
          checkRoomNickLeases(roomNicks, Map.of(), nickWritesBySession, true);
        }
      }
    });
    Future.all(presence, nicknames, slots)
        .onSuccess(done -> node.metrics().leaseRenewal(System.nanoTime() - started));
    return Future.join(presence, nicknames, slots);
  }

  /**
   * Self-fencing: on the minority side of a split (no quorum), this node cannot know whether the majority
   * has given its sessions' nicknames to someone else, so it tells them they lost them instead of letting
   * two clients believe they own one nickname. Any other failure is transient: the lease is still valid
   * until its TTL, and the next renewal retries.
   */
  private void onNickRenewalFailed(Map<String, String> sessionByNick, Throwable failure) {
    if (ClientErrors.isNoQuorum(failure)) {
      LOG.warn("no nickname quorum: telling {} sessions they lost their nicknames", sessionByNick.size());
      sessionByNick.forEach((key, session) -> {
        ClientConnection connection = registry.get(session);
        if (connection != null) {
          connection.leaseChecks().onNickFenced(key);
        }
      });
    } else {
      LOG.warn("nickname lease renewal failed: {}", failure.toString());
    }
  }

  /** The session's entry is gone: re-asserted if its client is alive, else closed (ended elsewhere). */
  private void onPresenceLeaseMissing(String session, long now) {
    ClientConnection connection = registry.get(session);
    if (connection != null && session.equals(connection.activeSession())) {
      LOG.debug("session {} has no presence lease any more", session);
      connection.leaseChecks().onPresenceLeaseMissing(now);
    }
  }

  /** A room nickname a session of this instance believes it holds. */
  private record RoomNickHeld(String session, String room, String nickKey) {
  }

  /** @param fenced whether the renewal failed for want of the quorum (then {@code renewed} is empty) */
  private void checkRoomNickLeases(Map<String, RoomNickHeld> held, Map<String, NickLease> renewed,
      Map<String, Long> nickWritesAtRead, boolean fenced) {
    held.forEach((leaseKey, nick) -> {
      NickLease lease = renewed.get(leaseKey);
      if (lease == null || !lease.holder().session().equals(nick.session())) {
        ClientConnection connection = registry.get(nick.session());
        if (connection != null) {
          connection.leaseChecks().onRoomNickLost(nick.room(), nick.nickKey(), nickWritesAtRead.get(nick.session()),
              fenced);
        }
      }
    });
  }

  private void checkNickLeases(Map<String, String> sessionByNick, Map<String, NickLease> renewed,
      Map<String, Long> nickWritesAtRead) {
    sessionByNick.forEach((key, session) -> {
      NickLease lease = renewed.get(key);
      if (lease == null || !lease.holder().session().equals(session)) {
        ClientConnection connection = registry.get(session);
        if (connection != null) {
          connection.leaseChecks().onNickLost(key, nickWritesAtRead.get(session));
        }
      }
    });
  }
}
