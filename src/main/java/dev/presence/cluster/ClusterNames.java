package dev.presence.cluster;

/** Names of the cluster-wide maps and event-bus addresses. Other Vert.x nodes use these to talk to us. */
public final class ClusterNames {

  /** IMap: session id → {@code PresenceEntry}, one TTL per entry (the presence lease). */
  public static final String PRESENCE_MAP = "presence.sessions";
  /**
   * The attribute of a presence entry that the presence map indexes and user queries name: the record component
   * {@code PresenceEntry.user}, read by Hazelcast's reflective extractor (the field of that name).
   */
  public static final String PRESENCE_USER_ATTRIBUTE = "user";
  /**
   * The attribute of a presence entry that the presence map's sorted index holds and the stale sweep's range query
   * names: the record component {@code PresenceEntry.lastRenewedAt} (epoch ms), read the same way.
   */
  public static final String PRESENCE_RENEWED_ATTRIBUTE = "lastRenewedAt";
  /**
   * The attribute of a presence entry that the presence map indexes for member loss and node queries: the record
   * component {@code PresenceEntry.node}, read the same way.
   */
  public static final String PRESENCE_NODE_ATTRIBUTE = "node";
  /** IMap: normalized nickname → {@code NickLease}, one TTL per entry. */
  public static final String NICKNAME_MAP = "presence.nicknames";
  /**
   * The attribute of a nickname lease that the nickname map indexes and the grace-lease cap's query names: the user
   * of the record component {@code NickLease.holder}, read by Hazelcast's reflective extractor (field by field).
   */
  public static final String NICKNAME_USER_ATTRIBUTE = "holder.user";
  /**
   * IMap: user → {@code UserSessionSlots} (session id → slot lease), the cluster-wide session count per user;
   * the entry's TTL ends with its latest slot.
   */
  public static final String SESSION_SLOT_MAP = "presence.session-slots";

  /**
   * IMap: room name → {@code RoomOccupancy} (session and user counts), no TTL; a record is removed when its room
   * becomes empty. The memberships themselves ride on the presence entries (docs/consistency.md, "Rooms").
   */
  public static final String ROOM_MAP = "presence.rooms";

  /**
   * IMap: room → each user's session count there ({@code RoomUserCounts}), kept as objects, no TTL; a record is removed
   * with its room's last user. Keyed by room like the occupancy record, so both live on the room's partition: it tells
   * a join whether its user is new to the room, and a leave whether its user leaves with it. No index may be added to
   * it: Hazelcast would then clone (serialize) a record for every entry processor on it.
   */
  public static final String ROOM_USER_MAP = "presence.room-users";

  /** Hazelcast map: user → epoch ms when a session of the user last ended (TTL PRESENCE_LAST_SEEN_TTL_MS). */
  public static final String LAST_SEEN_MAP = "presence.last-seen";
  /**
   * Hazelcast map: {@code user:<user>} or {@code jti:<jti>} → epoch ms the revocation ends, each entry with that TTL
   * (Hazelcast expires it; auth.Revocation).
   */
  public static final String REVOCATION_MAP = "presence.revocations";
  /** Event-bus address (publish) of eviction requests: {@code {"session", "reason"}}. */
  public static final String EVICT_ADDRESS = "presence.evict";
  /** Event-bus address (publish) of presence changes: join, leave, nick. */
  public static final String EVENTS_ADDRESS = "presence.events";
  /** Event-bus address (request/reply) of presence queries from cluster services and the bridge (docs/event-bus.md). */
  public static final String QUERY_ADDRESS = "presence.query";
  /** Event-bus address (request/reply) of kicks by trusted services, admins and users (docs/event-bus.md). */
  public static final String KICK_ADDRESS = "presence.kick";
  /**
   * Node-local event-bus address (local consumers, local-only publish): "re-check every lease now", sent
   * after this member merged back into a cluster.
   */
  public static final String LOCAL_LEASE_RECHECK_ADDRESS = "presence.local.lease-recheck";

  /**
   * Node-local event-bus address (local consumers, local-only publish): "a member joined this member's cluster", sent
   * for a new node and for the other side of a healed split. The room watches re-read their views then (events
   * published while the sides were apart may never arrive).
   */
  public static final String LOCAL_MEMBER_JOINED_ADDRESS = "presence.local.member-joined";

  /**
   * Added to every map TTL (ms). Hazelcast 5.3 stores expiry times rounded down to whole seconds
   * (hazelcast/hazelcast#14697), so an entry can vanish up to 999 ms before its TTL. Validity is decided
   * by the values themselves ({@code expiresAt}, {@code lastRenewedAt}); the map TTL only collects
   * garbage, so it may run late but must never run early.
   */
  public static final long TTL_SLACK_MS = 1_000;

  private ClusterNames() {
  }
}
