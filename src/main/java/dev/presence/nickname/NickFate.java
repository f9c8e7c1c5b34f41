package dev.presence.nickname;

/**
 * What happens to a session's nickname lease when the session ends or is held for resume, as decided by
 * {@link NickLeasePolicy#fateOnEnd} and {@link NickLeasePolicy#fateOnHold}. Immutable.
 */
public enum NickFate {
  /** Released at once: anyone may claim it ({@link NickLeasePolicy#release}). */
  FREE,
  /** Reserved for the same user for the grace period ({@link NickLeasePolicy#enterGrace}). */
  GRACE,
  /** Left as it is: its fate was already decided (the hold began its grace, or a takeover passed it on). */
  KEEP
}
