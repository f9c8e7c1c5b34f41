package dev.presence.presence;

import dev.presence.room.RoomMembership;
import java.util.HashMap;
import java.util.Map;

/**
 * One session as the whole cluster sees it (the value of the presence map). Immutable.
 *
 * @param session       session id (the map key)
 * @param user          the session's user
 * @param nick          the nickname it holds, display form, or {@code null}
 * @param nickKey       the normalized nickname, or {@code null}
 * @param node          the owning node's id (the cluster manager's node id: a node is our process, a member
 *                      its Hazelcast part)
 * @param connectedAt   epoch ms when the session said hello
 * @param lastRenewedAt epoch ms when the owner last confirmed the session alive (set at each batched
 *                      renewal: the owner evicts a session silent for the heartbeat timeout, so a renewed
 *                      session had a heartbeat within that timeout)
 * @param version       incremented by every write; stale-session removal compares it (compare-and-delete)
 * @param status        availability, meta and idle flag
 * @param heldUntil     0 while the session is connected; after an abnormal disconnect of a resumable session,
 *                      epoch ms until which it is held for resume (its client may resume it on any node)
 * @param resumeGeneration which resume token may resume the session: a token names the generation it was issued
 *                      for, and only a token naming this one resumes it ({@code ResumePolicy}); every resume
 *                      moves it on ({@link #resumedOn}), so a token works once. Set when the session joins
 *                      ({@link #joined}) and kept by every other change. 0 in views that carry none (wire
 *                      forms built for clients)
 * @param rooms         room name → the session's membership of it (docs/consistency.md, "Rooms": memberships ride on
 *                      the entry, so they are renewed, removed, expired and restored with it at no extra cost); empty
 *                      when the session is in no room
 */
public record PresenceEntry(
    String session,
    String user,
    String nick,
    String nickKey,
    String node,
    long connectedAt,
    long lastRenewedAt,
    long version,
    SessionStatus status,
    long heldUntil,
    long resumeGeneration,
    Map<String, RoomMembership> rooms) {

  /** A status is required; entries written by code that does not set one are online. Copies {@code rooms}. */
  public PresenceEntry {
    if (status == null) {
      status = SessionStatus.ONLINE;
    }
    rooms = rooms == null ? Map.of() : Map.copyOf(rooms);
  }

  /** An entry in no room. */
  public PresenceEntry(String session, String user, String nick, String nickKey, String node, long connectedAt,
      long lastRenewedAt, long version, SessionStatus status, long heldUntil, long resumeGeneration) {
    this(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version, status, heldUntil,
        resumeGeneration, Map.of());
  }

  /** An online entry with no meta, not idle, and no resume generation (tests, views). */
  public PresenceEntry(String session, String user, String nick, String nickKey, String node, long connectedAt,
      long lastRenewedAt, long version) {
    this(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version, SessionStatus.ONLINE, 0, 0);
  }

  /** A connected entry with the given status and no resume generation (tests, views). */
  public PresenceEntry(String session, String user, String nick, String nickKey, String node, long connectedAt,
      long lastRenewedAt, long version, SessionStatus status) {
    this(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version, status, 0, 0);
  }

  /**
   * The entry of a session that has just joined: online, no nickname, version 1, and its first resume generation.
   * That generation is the join time times 1000 (the scale of nickname fencing tokens) rather than 0 or a random
   * value: it is never the 0 of a view that carries none, it is the same under a manual clock in every test, and a
   * generation of this session stays above it. It need not be secret or unpredictable: a token is unforgeable
   * without the key, and names a session id the server drew at random.
   *
   * @param session the new session id
   * @param user    its user
   * @param node    the node it joined on
   * @param now     epoch ms of the join
   * @return the entry
   */
  public static PresenceEntry joined(String session, String user, String node, long now) {
    return new PresenceEntry(session, user, null, null, node, now, now, 1, SessionStatus.ONLINE, 0, now * 1_000);
  }

  /** @return whether the session is held for resume (disconnected, resumable) */
  public boolean isHeld() {
    return heldUntil > 0;
  }

  /**
   * @param now epoch ms
   * @return whether the session is held for resume at {@code now} (its hold has not ended): no sweep may end it
   */
  public boolean heldAt(long now) {
    return heldUntil > now;
  }

  /**
   * @param until epoch ms when the hold ends
   * @return this entry held for resume, with the next version
   */
  public PresenceEntry hold(long until) {
    return new PresenceEntry(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version + 1, status,
        until, resumeGeneration, rooms);
  }

  /**
   * @param newNode the node the client resumed on
   * @param now     epoch ms of the resume (a heartbeat)
   * @return this entry connected again, owned by {@code newNode}, with the next version and the next resume
   *     generation (the token that resumed it no longer does)
   */
  public PresenceEntry resumedOn(String newNode, long now) {
    return new PresenceEntry(session, user, nick, nickKey, newNode, connectedAt, Math.max(lastRenewedAt, now),
        version + 1, status, 0, resumeGeneration + 1, rooms);
  }

  /**
   * @param at epoch ms of the renewal
   * @return this entry renewed at {@code at}, with the next version
   */
  public PresenceEntry renewed(long at) {
    return new PresenceEntry(session, user, nick, nickKey, node, connectedAt, Math.max(lastRenewedAt, at),
        version + 1, status, heldUntil, resumeGeneration, rooms);
  }

  /**
   * @param newNick    display nickname or {@code null}
   * @param newNickKey normalized nickname or {@code null}
   * @return this entry with another nickname, with the next version
   */
  public PresenceEntry withNick(String newNick, String newNickKey) {
    return new PresenceEntry(session, user, newNick, newNickKey, node, connectedAt, lastRenewedAt, version + 1,
        status, heldUntil, resumeGeneration, rooms);
  }

  /**
   * @param newStatus availability, meta and idle flag
   * @return this entry with another status, with the next version
   */
  public PresenceEntry withStatus(SessionStatus newStatus) {
    return new PresenceEntry(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version + 1, newStatus,
        heldUntil, resumeGeneration, rooms);
  }

  /**
   * @param room a room name
   * @return whether the session is in that room
   */
  public boolean inRoom(String room) {
    return rooms.containsKey(room);
  }

  /**
   * @param room       a room name
   * @param membership the session's membership of it (replaces one it has)
   * @return this entry in that room, with the next version
   */
  public PresenceEntry withRoom(String room, RoomMembership membership) {
    Map<String, RoomMembership> next = new HashMap<>(rooms);
    next.put(room, membership);
    return withRooms(next);
  }

  /**
   * @param room a room name
   * @return this entry without that room, with the next version
   */
  public PresenceEntry withoutRoom(String room) {
    Map<String, RoomMembership> next = new HashMap<>(rooms);
    next.remove(room);
    return withRooms(next);
  }

  private PresenceEntry withRooms(Map<String, RoomMembership> next) {
    return new PresenceEntry(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version + 1, status,
        heldUntil, resumeGeneration, next);
  }
}
