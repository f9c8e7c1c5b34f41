package dev.presence.config;

/**
 * Rich-presence timings. Immutable; validated on construction.
 *
 * @param idleAfterMs   a session that sent no application message for this long is shown idle (ms); heartbeats
 *                      ({@code ping}, WebSocket ping/pong) do not count as activity
 * @param lastSeenTtlMs how long a user's last-seen time is kept after one of its sessions ended (ms)
 */
public record ActivitySettings(long idleAfterMs, long lastSeenTtlMs) {

  /** Longest last-seen retention (ms): 30 days. */
  public static final long MAX_LAST_SEEN_TTL_MS = 30L * 86_400_000L;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public ActivitySettings {
    PresenceConfig.requirePositive("PRESENCE_IDLE_AFTER_MS", idleAfterMs);
    if (idleAfterMs > PresenceConfig.MAX_DURATION_MS) {
      throw new IllegalArgumentException("PRESENCE_IDLE_AFTER_MS must be at most a day, was " + idleAfterMs);
    }
    PresenceConfig.requirePositive("PRESENCE_LAST_SEEN_TTL_MS", lastSeenTtlMs);
    if (lastSeenTtlMs > MAX_LAST_SEEN_TTL_MS) {
      throw new IllegalArgumentException("PRESENCE_LAST_SEEN_TTL_MS must be at most 30 days, was " + lastSeenTtlMs);
    }
  }

  /** @return the defaults: idle after 5 minutes, last seen kept 7 days */
  public static ActivitySettings defaults() {
    return new ActivitySettings(300_000, 7L * 86_400_000L);
  }
}
