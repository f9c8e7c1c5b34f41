package dev.presence.presence;

/** What writing a live session's entry back did ({@link PresenceStore#restore}). Immutable. */
public enum RestoreResult {
  /** The entry was gone and is written back: the session is present again. */
  WRITTEN,
  /** The entry is this node's already (restored or renewed meanwhile): nothing changed but its TTL. */
  ALREADY_OURS,
  /** Another node owns the session now (it was resumed there). */
  MOVED
}
