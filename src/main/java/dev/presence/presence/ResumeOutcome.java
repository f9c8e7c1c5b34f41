package dev.presence.presence;

/**
 * What a resume attempt did ({@link ResumePolicy}, {@link PresenceStore#resume}, {@link SessionHolds#resume}): an
 * expected outcome as a value. Infrastructure failures are failed futures instead.
 */
public sealed interface ResumeOutcome {

  /**
   * The session is connected again, owned by the resuming node, with the next resume generation.
   *
   * @param entry the resumed entry
   */
  record Resumed(PresenceEntry entry) implements ResumeOutcome {
  }

  /**
   * Nothing changed; the client gets a new session and {@code resume_failed} with {@link Reason#message()}.
   *
   * @param reason why
   */
  record Refused(Reason reason) implements ResumeOutcome {
  }

  /** Why a resume token resumed nothing. */
  enum Reason {
    /** The token is past its expiry (decided before any cluster call). */
    EXPIRED("the resume token has expired"),
    /** The token names another user than the one resuming, or than the session's. */
    OTHER_USER("the resume token is not valid for this user"),
    /** The session is gone (never held, hold over, kicked) or connected (not held: its drop is not noticed yet). */
    NOT_HELD("the session is not held for resume (its grace period is over, or its connection has not ended)"),
    /**
     * The token names another resume generation than the session's: a resume since then moved it on, so this token
     * was used already. Either a copy of it is being replayed, or the client kept an old token instead of the one
     * its latest {@code welcome} carried.
     */
    USED("the resume token was already used; each resumes once (use the one of the latest welcome)");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    /** @return what the client is told in {@code resume_failed} */
    public String message() {
      return message;
    }
  }
}
