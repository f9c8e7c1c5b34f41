package dev.presence.presence;

import java.util.List;
import java.util.OptionalLong;

/**
 * The user-level view: a user is online while any of its sessions is. Immutable.
 *
 * @param user     the user
 * @param sessions its sessions now, across the cluster (empty when offline)
 * @param lastSeen when offline: epoch ms when its last session ended, if still remembered
 *                 ({@code PRESENCE_LAST_SEEN_TTL_MS}); empty when online
 */
public record UserPresence(String user, List<PresenceEntry> sessions, OptionalLong lastSeen) {

  /** Copies the list. */
  public UserPresence {
    sessions = List.copyOf(sessions);
  }

  /** @return whether any session of the user is present */
  public boolean online() {
    return !sessions.isEmpty();
  }

  /** @return whether anything is known of the user (online, or offline with a last-seen time) */
  public boolean known() {
    return online() || lastSeen.isPresent();
  }
}
