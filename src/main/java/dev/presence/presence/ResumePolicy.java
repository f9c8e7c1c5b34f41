package dev.presence.presence;

import dev.presence.session.ResumeTokens;
import java.util.Optional;

/**
 * Whether a resume token takes a held session back (docs/protocol.md §11.4). The one home of that decision: the
 * presence store applies {@link #decide} atomically with the entry (Hazelcast: inside the {@code Resume} entry
 * processor, on the key's partition thread; in memory: inside the map's {@code compute}), so two clients presenting
 * the same token at once cannot both win: the first moves the entry's resume generation on, and the second finds
 * its token naming the old one. {@link #admit} is the part that needs no entry, decided before any cluster call.
 *
 * <p>Why the generation: a token used to name only user and session, so a copy of it (a log line, a leaked device
 * backup) together with the user's access token took the session over at any later drop, for the session's whole
 * life. Now every resume moves the generation on and the {@code welcome} that follows carries a token for the new
 * one, so each token resumes once, and the expiry bounds how long an unused one is worth stealing.
 *
 * <p>Pure: no Vert.x, no Hazelcast; time is a parameter. Thread-safe (stateless).
 */
public final class ResumePolicy {

  private ResumePolicy() {
  }

  /**
   * What can be refused without the session's entry.
   *
   * @param claim what a token with a valid MAC names
   * @param user  the authenticated user of the resuming connection
   * @param now   epoch ms of the attempt
   * @return the refusal, or empty if the cluster must decide ({@link #decide})
   */
  public static Optional<ResumeOutcome.Reason> admit(ResumeTokens.Claim claim, String user, long now) {
    if (claim.expiredAt(now)) {
      return Optional.of(ResumeOutcome.Reason.EXPIRED);
    }
    if (!claim.user().equals(user)) {
      return Optional.of(ResumeOutcome.Reason.OTHER_USER);
    }
    return Optional.empty();
  }

  /**
   * The decision for the session's current entry. The generation is compared before the hold, so a replayed token
   * is reported as {@link ResumeOutcome.Reason#USED} whether the session is connected again or held again.
   *
   * @param current the session's entry ({@code claim.session()}), or {@code null} if it has none
   * @param claim   what the presented token names
   * @param node    the node the client reconnected to
   * @param now     epoch ms of the attempt (the caller's clock: every replica decides with the same value)
   * @return {@link ResumeOutcome.Resumed} with the entry to store (connected on {@code node}, the next resume
   *     generation), or {@link ResumeOutcome.Refused} and the entry stays as it is
   */
  public static ResumeOutcome decide(PresenceEntry current, ResumeTokens.Claim claim, String node, long now) {
    if (claim.expiredAt(now)) {
      return new ResumeOutcome.Refused(ResumeOutcome.Reason.EXPIRED);
    }
    if (current == null) {
      return new ResumeOutcome.Refused(ResumeOutcome.Reason.NOT_HELD);
    }
    if (!current.user().equals(claim.user())) {
      return new ResumeOutcome.Refused(ResumeOutcome.Reason.OTHER_USER);
    }
    if (current.resumeGeneration() != claim.generation()) {
      return new ResumeOutcome.Refused(ResumeOutcome.Reason.USED);
    }
    if (!current.isHeld()) {
      return new ResumeOutcome.Refused(ResumeOutcome.Reason.NOT_HELD);
    }
    return new ResumeOutcome.Resumed(current.resumedOn(node, now));
  }
}
