package dev.presence.config;

/**
 * Room limits (docs/protocol.md, "Rooms"). Immutable; validated on construction.
 *
 * @param maxMembers         most sessions one room may hold, cluster-wide ({@code PRESENCE_ROOM_MAX_MEMBERS}; a
 *                           {@code join} beyond it gets {@code room_full})
 * @param maxRoomsPerSession most rooms one session may be in ({@code PRESENCE_MAX_ROOMS_PER_SESSION}; a
 *                           {@code join} beyond it gets {@code room_limit}); bounds the presence entry's size, and
 *                           also bounds the rooms one session may watch
 * @param largeRoom          members above which a room's watchers get {@code presence.counts} instead of members
 *                           ({@code PRESENCE_ROOM_LARGE}); below nine tenths of it they get members again
 * @param digestMs           the room watch tick, ms ({@code PRESENCE_ROOM_DIGEST_MS}): digests, counts, and the
 *                           check of each watched room's view against the cluster (at least 100, at most 60,000)
 */
public record RoomSettings(int maxMembers, int maxRoomsPerSession, int largeRoom, long digestMs) {

  /** Default of {@link #maxMembers()}: the 10,000. */
  public static final int DEFAULT_MAX_MEMBERS = 10_000;
  /** Default of {@link #maxRoomsPerSession()}. */
  public static final int DEFAULT_MAX_ROOMS_PER_SESSION = 100;
  /**
   * Most rooms per session this node accepts as a setting: each membership rides on the session's presence entry
   * (up to ~1.2 KiB with its meta), which every renewal rewrites, so the entry must stay small.
   */
  public static final int MAX_ROOMS_PER_SESSION_LIMIT = 1_000;
  /** Default of {@link #largeRoom()}: the 1,000. */
  public static final int DEFAULT_LARGE_ROOM = 1_000;
  /** Default of {@link #digestMs()}: once a second, so a view converges within about two seconds of a missed event. */
  public static final long DEFAULT_DIGEST_MS = 1_000;
  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public RoomSettings {
    PresenceConfig.requirePositive("PRESENCE_ROOM_MAX_MEMBERS", maxMembers);
    PresenceConfig.requirePositive("PRESENCE_MAX_ROOMS_PER_SESSION", maxRoomsPerSession);
    PresenceConfig.requirePositive("PRESENCE_ROOM_LARGE", largeRoom);
    if (digestMs < 100 || digestMs > 60_000) {
      throw new IllegalArgumentException("PRESENCE_ROOM_DIGEST_MS must be between 100 and 60000 ms, was " + digestMs);
    }
    if (maxRoomsPerSession > MAX_ROOMS_PER_SESSION_LIMIT) {
      throw new IllegalArgumentException("PRESENCE_MAX_ROOMS_PER_SESSION must be at most "
          + MAX_ROOMS_PER_SESSION_LIMIT + " (memberships ride on the presence entry), was " + maxRoomsPerSession);
    }
  }

  /**
   * Limits with the default large-room threshold and tick.
   *
   * @param maxMembers         {@code PRESENCE_ROOM_MAX_MEMBERS}
   * @param maxRoomsPerSession {@code PRESENCE_MAX_ROOMS_PER_SESSION}
   */
  public RoomSettings(int maxMembers, int maxRoomsPerSession) {
    this(maxMembers, maxRoomsPerSession, DEFAULT_LARGE_ROOM, DEFAULT_DIGEST_MS);
  }

  /**
   * @return the defaults: 10,000 sessions per room, 100 rooms per session, large above 1,000, a 1 s tick
   */
  public static RoomSettings defaults() {
    return new RoomSettings(DEFAULT_MAX_MEMBERS, DEFAULT_MAX_ROOMS_PER_SESSION);
  }
}
