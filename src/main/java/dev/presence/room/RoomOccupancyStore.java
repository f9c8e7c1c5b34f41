package dev.presence.room;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The port to the cluster-wide room counts (room name → {@link RoomOccupancy}; no TTL, a record is removed when its
 * last session leaves) and, beside them, each user's session count per room, which decides whether a place changes
 * the user count. A change of a room's counts is atomic per room, and costs the same whatever the room's size.
 * Implementations complete the returned future on the caller's Vert.x context (never on a Hazelcast or ForkJoin thread); infrastructure failures fail it with
 * {@code ClusterStoreException}. Call from a Vert.x context.
 *
 * <p>The counters follow the memberships on the presence entries, which are the truth: a node lost between a
 * reserve and the membership write (or between an entry's removal and the release) leaves a count one off, until
 * {@link #correct} writes the count recomputed from the entries (docs/consistency.md, "Rooms").
 */
public interface RoomOccupancyStore {

  /**
   * Takes a place in a room for a session of {@code user}, unless it is full.
   *
   * @param room       a valid room name
   * @param user       the session's user
   * @param maxMembers most sessions the room may hold
   * @return admitted (with whether the room was empty before) or full
   */
  Future<RoomAdmission> reserve(String room, String user, int maxMembers);

  /**
   * Gives a session's place back; the record is removed when the room becomes empty.
   *
   * @param room the room
   * @param user the session's user
   * @return the occupancy after, and whether the room became empty by this call
   */
  Future<RoomRelease> release(String room, String user);

  /**
   * @param room a room name
   * @return its occupancy, or empty if nobody is in it
   */
  Future<Optional<RoomOccupancy>> get(String room);

  /**
   * Reads several rooms' occupancy in one batched call (a room watch's periodic check, docs/consistency.md "Room
   * views"): one call whatever the number of rooms, not one per room.
   *
   * @param rooms room names (an empty set reads nothing)
   * @return room → occupancy, for the occupied ones only (a room missing from the map is empty)
   */
  Future<Map<String, RoomOccupancy>> getAll(Set<String> rooms);

  /**
   * Lists occupied rooms whose names start with {@code prefix}, ordered by name (an indexed range read of the
   * occupancy map, never a scan of the sessions).
   *
   * @param prefix name prefix ({@code ""} for all)
   * @param after  exclusive lower bound on the name, or {@code null} from the start
   * @param limit  page size (at least 1)
   * @return the page
   */
  Future<RoomPage> list(String prefix, String after, int limit);

  /**
   * Overwrites a room's counters with a recount from the presence entries (drift repair), only if the record is
   * still at {@code expectedVersion} (no join or leave since the recount compared it); removes the record if the
   * recount is empty.
   *
   * @param recount         the room's sessions per user as the entries say (the stored version moves on; the room's
   *                        per-user counts are rewritten from it)
   * @param expectedVersion the version of the record the recount was compared with
   * @return the occupancy before if this call corrected it; empty if the record changed meanwhile or is gone
   */
  Future<Optional<RoomOccupancy>> correct(RoomTally recount, long expectedVersion);
}
