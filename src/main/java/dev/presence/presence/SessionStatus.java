package dev.presence.presence;

import java.nio.charset.StandardCharsets;

/**
 * A session's rich presence: availability chosen by the client, free application data, and whether the session
 * has gone idle (no application message for the idle time). Immutable.
 *
 * @param availability online, away or do-not-disturb
 * @param meta         a JSON object as text (at most {@link #MAX_META_BYTES} bytes, UTF-8), or {@code null}
 * @param idle         true once the session sent no application message for {@code PRESENCE_IDLE_AFTER_MS}
 *                     (heartbeats do not count)
 */
public record SessionStatus(Availability availability, String meta, boolean idle) {

  /** Largest {@code meta} (bytes, UTF-8 encoded JSON): enough for a status line and an emoji, not for a payload. */
  public static final int MAX_META_BYTES = 1_024;

  /** A new session: online, no meta, not idle. */
  public static final SessionStatus ONLINE = new SessionStatus(Availability.ONLINE, null, false);

  /**
   * @throws IllegalArgumentException if the availability is missing or meta is too large
   */
  public SessionStatus {
    if (availability == null) {
      throw new IllegalArgumentException("availability is required");
    }
    if (meta != null && meta.getBytes(StandardCharsets.UTF_8).length > MAX_META_BYTES) {
      throw new IllegalArgumentException("meta is larger than " + MAX_META_BYTES + " bytes");
    }
  }

  /**
   * @param newIdle idle or not
   * @return this status with another idle flag
   */
  public SessionStatus withIdle(boolean newIdle) {
    return new SessionStatus(availability, meta, newIdle);
  }
}
