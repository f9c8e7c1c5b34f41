package dev.presence.nickname;

/** The answer to a nickname claim: an expected outcome, never an exception. */
public sealed interface ClaimOutcome {

  /**
   * The claimant holds the nickname.
   *
   * @param lease            the lease now stored
   * @param displacedSession an older session of the same user that held it and must be evicted
   *                         (takeover), or {@code null}
   */
  record Granted(NickLease lease, String displacedSession) implements ClaimOutcome {
  }

  /**
   * Another user holds the nickname or has it reserved in its grace period.
   *
   * @param lease the lease that blocks the claim
   */
  record Taken(NickLease lease) implements ClaimOutcome {
  }
}
