package dev.presence.presence;

/**
 * One session's slot in its user's session count: a lease held by the node that owns the session,
 * valid until {@code expiresAt}. Immutable.
 *
 * @param node      id of the node owning the session (the only node that renews the slot)
 * @param expiresAt epoch ms after which the slot no longer counts (the lease has run out)
 */
public record SessionSlot(String node, long expiresAt) {

  /**
   * @param now epoch ms
   * @return whether the slot still counts at {@code now}
   */
  public boolean isLive(long now) {
    return now < expiresAt;
  }
}
