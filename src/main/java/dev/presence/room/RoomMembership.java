package dev.presence.room;

import java.nio.charset.StandardCharsets;

/**
 * A session's membership of one room, as its presence entry carries it (the room name is the key it is stored
 * under). Immutable.
 *
 * @param joinedAt epoch ms when the session joined the room (kept when a repeated {@code join} updates the meta)
 * @param meta     a JSON object as text, at most {@value #MAX_META_BYTES} bytes of UTF-8, or {@code null}
 */
public record RoomMembership(long joinedAt, String meta) {

  /** Most bytes (UTF-8) a membership's meta may take: the 1 KiB. */
  public static final int MAX_META_BYTES = 1_024;

  /**
   * @throws IllegalArgumentException if the meta is larger than {@value #MAX_META_BYTES} bytes
   */
  public RoomMembership {
    if (meta != null && meta.getBytes(StandardCharsets.UTF_8).length > MAX_META_BYTES) {
      throw new IllegalArgumentException("room meta is larger than " + MAX_META_BYTES + " bytes");
    }
  }

  /**
   * @param newMeta the meta a repeated {@code join} sends
   * @return this membership with that meta, joined at the same time
   */
  public RoomMembership withMeta(String newMeta) {
    return new RoomMembership(joinedAt, newMeta);
  }
}
