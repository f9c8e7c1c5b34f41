package dev.presence.presence;

import dev.presence.room.RoomMembership;
import dev.presence.session.ResumeTokens;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The port to the cluster-wide presence map (session id → {@link PresenceEntry}, each with a TTL: the
 * lease). Every write is atomic per session. Implementations complete the returned future on the
 * caller's Vert.x context (never on a Hazelcast or ForkJoin thread); infra failures fail it with
 * {@code ClusterStoreException}. Call from a Vert.x context.
 */
public interface PresenceStore {

  /**
   * Stores a new session's entry with a TTL.
   *
   * @param entry  the entry
   * @param ttlMs  lease TTL (ms)
   * @return completes when stored
   */
  Future<Void> acquire(PresenceEntry entry, long ttlMs);

  /**
   * Renews, in one cluster operation, the entries of the given sessions owned by {@code node}: sets
   * {@code lastRenewedAt} to {@code now}, bumps the version and restarts the TTL.
   *
   * @return the ids among {@code sessions} that have no entry owned by this node any more (evicted)
   */
  Future<Set<String>> renewAll(Set<String> sessions, String node, long now, long ttlMs);

  /**
   * Sets the nickname shown for a session, keeping its TTL.
   *
   * @return true if the entry exists
   */
  Future<Boolean> setNick(String session, String nick, String nickKey);

  /**
   * Sets a session's availability, meta and idle flag, keeping its TTL.
   *
   * @param session the session
   * @param status  the new status
   * @return the entry as it is now, or empty if the session has no entry
   */
  Future<Optional<PresenceEntry>> setStatus(String session, SessionStatus status);

  /**
   * Holds a connected session as suspect after an abnormal disconnect: sets {@code heldUntil} and the TTL.
   *
   * @param session the session
   * @param until   epoch ms when the hold ends
   * @param ttlMs   the entry's new TTL (ms): longer than the hold, so a sweep ends it if its owner cannot
   * @return the entry as it is now, or empty if there is none or it is already held
   */
  Future<Optional<PresenceEntry>> hold(String session, long until, long ttlMs);

  /**
   * Resumes a held session on {@code node} if {@link ResumePolicy#decide} says so, atomically with the entry:
   * connected again, owned by that node, the next resume generation, TTL restarted. Otherwise nothing changes.
   *
   * @param claim what the client's resume token names (its session is the key)
   * @param node  the node the client reconnected to
   * @param now   epoch ms of the attempt
   * @param ttlMs lease TTL (ms)
   * @return resumed with the stored entry, or refused with the policy's reason
   */
  Future<ResumeOutcome> resume(ResumeTokens.Claim claim, String node, long now, long ttlMs);

  /**
   * Ends a hold: removes the entry only if it is still held with exactly this {@code until} (not resumed,
   * not held again).
   *
   * @param session the session
   * @param until   the hold's end as set by {@link #suspend}
   * @return the removed entry, or empty if it was resumed or is gone
   */
  Future<Optional<PresenceEntry>> removeIfHeld(String session, long until);

  /**
   * Removes a session's entry (its owner, on close).
   *
   * @return the removed entry, or empty if another node removed it first
   */
  Future<Optional<PresenceEntry>> remove(String session);

  /**
   * Writes a live session's entry back if it is gone (a healed split's merge discarded it, or another node evicted
   * it while its connection stayed alive), with the TTL restarted; an entry this node already owns is renewed
   * instead. Never overwrites an entry another node owns.
   *
   * @param entry the session as its owner knows it (a fresh version, so no sweep that read an older copy can
   *              remove it)
   * @param ttlMs TTL (ms)
   * @return what the call did
   */
  Future<RestoreResult> restore(PresenceEntry entry, long ttlMs);

  /**
   * Compare-and-delete: removes the entry only if its version is still {@code expectedVersion}. This is
   * what makes a sweep safe against a renewal that lands between the sweep's read and its delete.
   *
   * @return true if this call removed it
   */
  Future<Boolean> removeIfUnchanged(String session, long expectedVersion);

  /** @return entries whose {@code lastRenewedAt} is before {@code lastRenewedBefore} (epoch ms) */
  Future<List<PresenceEntry>> findStale(long lastRenewedBefore);

  /** @return entries owned by the given node */
  Future<List<PresenceEntry>> findByNode(String node);

  /** @return entries of the given user */
  Future<List<PresenceEntry>> findByUser(String user);

  /**
   * Every session of the given users, in one read whatever their number (a subscription's snapshot of up to 1,000
   * users must not cost 1,000 cluster queries).
   *
   * @param users the users (each as {@code hello.user}); an empty set reads nothing
   * @return their entries, in no particular order
   */
  Future<List<PresenceEntry>> findByUsers(Set<String> users);

  /** @return the entry of a session */
  Future<Optional<PresenceEntry>> get(String session);

  /**
   * Lists entries ordered by session id.
   *
   * @param after exclusive lower bound on the session id, or {@code null} from the start
   * @param limit page size (at least 1)
   * @return the page
   */
  Future<PresencePage> list(String after, int limit);

  /**
   * Puts the session in a room on its entry, keeping the entry's TTL: added if it is in fewer than {@code maxRooms}
   * rooms, or its meta replaced (join time kept) if it is in the room already.
   *
   * @param session    the session
   * @param room       a valid room name
   * @param membership the membership to write (its join time counts only when added)
   * @param maxRooms   most rooms a session may be in
   * @return what the write did
   */
  Future<MembershipWrite> joinRoom(String session, String room, RoomMembership membership, int maxRooms);

  /**
   * Takes the session out of a room on its entry, keeping the entry's TTL.
   *
   * @param session the session
   * @param room    the room
   * @return the entry as it was before, if it was in the room; empty if it was not (or has no entry)
   */
  Future<Optional<PresenceEntry>> leaveRoom(String session, String room);

  /**
   * Lists the sessions in a room ordered by session id: an indexed read (the Hazelcast adapter queries an index on the
   * entries' room names), never a scan of every session.
   *
   * @param room  the room
   * @param after exclusive lower bound on the session id, or {@code null} from the start
   * @param limit page size (at least 1)
   * @return the page
   */
  Future<PresencePage> listRoom(String room, String after, int limit);

  /**
   * Sets or clears a member's room nickname on its entry, compare-and-set on the nickname it holds now; the entry's
   * TTL is kept.
   *
   * @param session     the session
   * @param room        a room it is in
   * @param nick        the new display form, or {@code null} to clear
   * @param nickKey     its key, {@code null} exactly when {@code nick} is
   * @param expectedKey the key the membership must hold now ({@code null}: none)
   * @return true if written; false if the session is not in the room or holds another room nickname there
   */
  Future<Boolean> setRoomNick(String session, String room, String nick, String nickKey, String expectedKey);

  /** Sessions read per page by {@link #listWholeRoom}. */
  int ROOM_PAGE = 500;

  /**
   * Every session in a room: {@link #listRoom} a page of {@link #ROOM_PAGE} at a time (so one huge room never needs
   * one huge answer), ordered by session id. A session that joins or leaves while the pages are read may be missed
   * or listed; callers that care merge the answer with the events they saw meanwhile ({@code RoomFeed}).
   *
   * @param room the room
   * @return its members; failed with {@code ClusterStoreException} if a page could not be read
   */
  default Future<List<PresenceEntry>> listWholeRoom(String room) {
    List<PresenceEntry> members = new java.util.ArrayList<>();
    return nextRoomPage(room, null, members).map(v -> members);
  }

  private Future<Void> nextRoomPage(String room, String after, List<PresenceEntry> members) {
    return listRoom(room, after, ROOM_PAGE).compose(page -> {
      members.addAll(page.entries());
      return page.next() == null ? Future.succeededFuture() : nextRoomPage(room, page.next(), members);
    });
  }
}
