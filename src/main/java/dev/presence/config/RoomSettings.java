package dev.presence.config;

/**
 * Room limits (docs/protocol.md, "Rooms"). Immutable; validated on construction.
 *
 * @param maxMembers         most sessions one room may hold, cluster-wide ({@code PRESENCE_ROOM_MAX_MEMBERS}; a
 *                           {@code join} beyond it gets {@code room_full})
 * @param maxRoomsPerSession most rooms one session may be in ({@code PRESENCE_MAX_ROOMS_PER_SESSION}; a
 *                           {@code join} beyond it gets {@code room_limit}); bounds the presence entry's size
 */
public record RoomSettings(int maxMembers, int maxRoomsPerSession) {

  /** Default of {@link #maxMembers()}: the 10,000. */
  public static final int DEFAULT_MAX_MEMBERS = 10_000;
  /** Default of {@link #maxRoomsPerSession()}. */
  public static final int DEFAULT_MAX_ROOMS_PER_SESSION = 100;
  /**
   * Most rooms per session this node accepts as a setting: each membership rides on the session's presence entry
   * (up to ~1.2 KiB with its meta), which every renewal rewrites, so the entry must stay small.
   */
  public static final int MAX_ROOMS_PER_SESSION_LIMIT = 1_000;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public RoomSettings {
    PresenceConfig.requirePositive("PRESENCE_ROOM_MAX_MEMBERS", maxMembers);
    PresenceConfig.requirePositive("PRESENCE_MAX_ROOMS_PER_SESSION", maxRoomsPerSession);
    if (maxRoomsPerSession > MAX_ROOMS_PER_SESSION_LIMIT) {
      throw new IllegalArgumentException("PRESENCE_MAX_ROOMS_PER_SESSION must be at most "
          + MAX_ROOMS_PER_SESSION_LIMIT + " (memberships ride on the presence entry), was " + maxRoomsPerSession);
    }
  }

  /** @return the defaults: 10,000 sessions per room, 100 rooms per session */
  public static RoomSettings defaults() {
    return new RoomSettings(DEFAULT_MAX_MEMBERS, DEFAULT_MAX_ROOMS_PER_SESSION);
  }
}
