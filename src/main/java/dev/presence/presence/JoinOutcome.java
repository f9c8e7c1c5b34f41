package dev.presence.presence;

/**
 * What {@link PresenceService#join} did: an expected outcome as a value. Infrastructure failures are failed
 * futures instead.
 */
public sealed interface JoinOutcome {

  /**
   * The session holds a slot, its presence entry is stored and its {@code join} was published.
   *
   * @param entry the stored entry
   */
  record Joined(PresenceEntry entry) implements JoinOutcome {
  }

  /**
   * The user is at its session limit: no entry stored, no event published.
   *
   * @param user         the user
   * @param liveSessions live sessions the user holds across the cluster
   * @param limit        the most it may hold ({@code PRESENCE_MAX_SESSIONS_PER_USER})
   */
  record Refused(String user, int liveSessions, int limit) implements JoinOutcome {

    /** @return the message for the client's {@code session_limit} error and close reason */
    public String message() {
      return "user " + user + " already has " + liveSessions + " sessions (limit " + limit + ")";
    }
  }
}
