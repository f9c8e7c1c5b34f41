package dev.presence.auth;

import dev.presence.config.AuthSettings;
import java.util.Set;

/**
 * Who a verified token (or, in development mode, {@code hello.user}) says the caller is. Immutable.
 *
 * @param user        the user id (the token's {@code sub})
 * @param roles       roles from the configured roles claim (empty if none)
 * @param expiresAtMs epoch ms when the token expires ({@code exp}, which every token must carry), or 0 in
 *                    development mode, where nothing expires
 */
public record Identity(String user, Set<String> roles, long expiresAtMs) {

  /** Copies {@code roles}. */
  public Identity {
    roles = Set.copyOf(roles);
  }

  /**
   * @param user a user id trusted as sent (development mode only)
   * @return an identity with no roles that never expires
   */
  public static Identity trusted(String user) {
    return new Identity(user, Set.of(), 0);
  }

  /** @return whether the caller holds {@value AuthSettings#ADMIN_ROLE} (may kick anyone) */
  public boolean isAdmin() {
    return roles.contains(AuthSettings.ADMIN_ROLE);
  }

  /**
   * Whether the caller may subscribe to every session of the cluster (docs/protocol.md §4.1): an {@code all}
   * subscription costs the node a copy of every presence change, and shows every user to whoever holds it.
   *
   * @return whether this caller holds {@value AuthSettings#WATCH_ALL_ROLE} or {@value AuthSettings#ADMIN_ROLE}
   */
  public boolean mayWatchAll() {
    return isAdmin() || roles.contains(AuthSettings.WATCH_ALL_ROLE);
  }

  /**
   * The kick rule (docs/event-bus.md): an admin may kick any session; a user only its own.
   *
   * @param targetUser the user of the session to kick
   * @return whether this caller may kick it
   */
  public boolean mayKick(String targetUser) {
    return isAdmin() || user.equals(targetUser);
  }
}
