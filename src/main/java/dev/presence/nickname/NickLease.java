package dev.presence.nickname;

/**
 * A nickname lease as stored in the cluster (the value of the nickname map). Immutable.
 *
 * <p>Times are epoch milliseconds from the clock of the node that last wrote the lease; nodes are
 * expected to run NTP, as with any wall-clock lease (a skew of d ms shifts expiry by d ms).
 *
 * @param key          normalized nickname (NFKC_Casefold), the map key
 * @param nick         the nickname as its holder spelled it (NFKC)
 * @param holder       session, user and node of the holder (the last holder while in GRACE or RELEASED)
 * @param fencingToken strictly increasing per nickname; a holder whose token is no longer the current one
 *                     has lost the lease
 * @param expiresAt    epoch ms after which the lease is free, whatever its state
 * @param state        held, in grace, or released
 */
public record NickLease(
    String key,
    String nick,
    NickHolder holder,
    long fencingToken,
    long expiresAt,
    NickLeaseState state) {

  /**
   * Whether anyone may claim this nickname now.
   *
   * @param now epoch ms
   * @return true if released or expired
   */
  public boolean isFree(long now) {
    return state == NickLeaseState.RELEASED || expiresAt <= now;
  }

  /**
   * Whether the given session holds this lease now.
   *
   * @param session session id
   * @param now     epoch ms
   * @return true if held by that session and not expired
   */
  public boolean isHeldBy(String session, long now) {
    return state == NickLeaseState.HELD && !isFree(now) && holder.session().equals(session);
  }

  /**
   * Whether this lease is a grace-period reservation left by the given session (its connection ended abnormally).
   *
   * @param session session id
   * @param now     epoch ms
   * @return true if in grace for that session and not expired
   */
  public boolean isInGraceFor(String session, long now) {
    return state == NickLeaseState.GRACE && !isFree(now) && holder.session().equals(session);
  }
}
