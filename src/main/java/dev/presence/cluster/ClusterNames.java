package dev.presence.cluster;

/** Names of the cluster-wide maps and event-bus addresses. Other Vert.x nodes use these to talk to us. */
public final class ClusterNames {

  /** IMap: session id → {@code PresenceEntry}, one TTL per entry (the presence lease). */
  public static final String PRESENCE_MAP = "presence.sessions";
  /** IMap: normalized nickname → {@code NickLease}, one TTL per entry. */
  public static final String NICKNAME_MAP = "presence.nicknames";
  /** Event-bus address (publish) of eviction requests: {@code {"session", "reason"}}. */
  public static final String EVICT_ADDRESS = "presence.evict";
  /** Event-bus address (publish) of presence changes: join, leave, nick. */
  public static final String EVENTS_ADDRESS = "presence.events";

  private ClusterNames() {
  }
}
