package dev.presence.nickname;

/**
 * Where a nickname lease stands. Transitions are made only by {@link NickLeasePolicy}.
 *
 * <pre>
 *   (absent | RELEASED | expired) --claim--> HELD --abnormal close--> GRACE --expiresAt--> free
 *                                            HELD --bye / release----> RELEASED (tombstone)
 *                                     GRACE --claim by same user----> HELD (new token)
 * </pre>
 */
public enum NickLeaseState {
  /** A live session holds the nickname; its node renews the lease in batches. */
  HELD,
  /** The holder disconnected abnormally; only the same user may claim it until {@code expiresAt}. */
  GRACE,
  /**
   * Released on purpose and free for anyone. The entry is kept (with a short TTL) only to carry the
   * last fencing token, so that tokens stay monotonic across release and re-claim.
   */
  RELEASED
}
