package dev.presence.room;

import java.nio.charset.StandardCharsets;

/**
 * A session's membership of one room, as its presence entry carries it (the room name is the key it is stored
 * under). Immutable.
 *
 * @param joinedAt epoch ms when the session joined the room (kept when a repeated {@code join} updates the meta)
 * @param meta     a JSON object as text, at most {@value #MAX_META_BYTES} bytes of UTF-8, or {@code null}
 * @param nick     the room nickname's display form (NFKC), or {@code null} when the session holds none in the room
 * @param nickKey  the room nickname's normalized key ({@code NicknameRules}), {@code null} exactly when {@code nick}
 *                 is; its lease is stored under {@link RoomNicknames#leaseKey}
 */
public record RoomMembership(long joinedAt, String meta, String nick, String nickKey) {

  /** Most bytes (UTF-8) a membership's meta may take: the 1 KiB. */
  public static final int MAX_META_BYTES = 1_024;

  /**
   * @throws IllegalArgumentException if the meta is larger than {@value #MAX_META_BYTES} bytes
   */
  public RoomMembership {
    if ((nick == null) != (nickKey == null)) {
      throw new IllegalArgumentException("a room nickname needs both its display form and its key");
    }
    if (meta != null && tooLarge(meta)) {
      throw new IllegalArgumentException("room meta is larger than " + MAX_META_BYTES + " bytes");
    }
  }

  /**
   * Whether the meta's UTF-8 form exceeds {@value #MAX_META_BYTES} bytes. Every entry read from the cluster builds its
   * memberships again, so most metas are judged by their length alone: a char is 1 to 3 bytes of UTF-8 (a surrogate
   * pair, 2 chars, is 4), so up to a third of the limit in chars always fits and more chars than the limit never do.
   */
  private static boolean tooLarge(String meta) {
    int chars = meta.length();
    if (chars <= MAX_META_BYTES / 3) {
      return false;
    }
    return chars > MAX_META_BYTES || meta.getBytes(StandardCharsets.UTF_8).length > MAX_META_BYTES;
  }

  /**
   * A membership without a room nickname.
   *
   * @param joinedAt epoch ms
   * @param meta     JSON object text or {@code null}
   */
  public RoomMembership(long joinedAt, String meta) {
    this(joinedAt, meta, null, null);
  }

  /**
   * @param newMeta the meta a repeated {@code join} sends
   * @return this membership with that meta, joined at the same time, with the same room nickname
   */
  public RoomMembership withMeta(String newMeta) {
    return new RoomMembership(joinedAt, newMeta, nick, nickKey);
  }

  /**
   * @param newNick    display form, or {@code null} for none
   * @param newNickKey its key, {@code null} exactly when {@code newNick} is
   * @return this membership with that room nickname
   */
  public RoomMembership withNick(String newNick, String newNickKey) {
    return new RoomMembership(joinedAt, meta, newNick, newNickKey);
  }
}
