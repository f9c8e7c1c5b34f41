package dev.presence.presence;

/**
 * Whether a session got a slot in its user's cluster-wide session count: an expected outcome, a value,
 * never an exception.
 */
public sealed interface SlotAdmission {

  /** @return live sessions of the user after the decision (the new one included when admitted) */
  int liveSessions();

  /**
   * The session holds a slot (new, or its existing one renewed).
   *
   * @param liveSessions live sessions of the user, this one included
   */
  record Admitted(int liveSessions) implements SlotAdmission {
  }

  /**
   * The user already holds the maximum of live slots; nothing was stored.
   *
   * @param liveSessions live sessions the user holds
   */
  record Refused(int liveSessions) implements SlotAdmission {
  }
}
