package dev.presence.auth;

import dev.presence.config.AuthSettings;
import dev.presence.room.RoomGrants;
import java.util.Set;

/**
 * Who a verified token (or, in development mode, {@code hello.user}) says the caller is. Immutable.
 *
 * @param user        the user id (the token's {@code sub})
 * @param roles       roles from the configured roles claim (empty if none)
 * @param expiresAtMs epoch ms when the token expires ({@code exp}, which every token must carry), or 0 in
 *                    development mode, where nothing expires
 * @param rooms       the rooms the caller may join or watch: from the token's rooms claim
 *                    ({@code PRESENCE_JWT_ROOMS_CLAIM}), every room in development mode
 * @param tokenId     the token's {@code jti} (RFC 7519 §4.1.7), by which it can be revoked alone; {@code null} if it
 *                    has none (or in development mode)
 */
public record Identity(String user, Set<String> roles, long expiresAtMs, RoomGrants rooms, String tokenId) {

  /** Copies {@code roles}; no rooms claim grants no room. */
  public Identity {
    roles = Set.copyOf(roles);
    if (rooms == null) {
      rooms = RoomGrants.NONE;
    }
  }

  /** An identity whose token granted no room and carried no {@code jti}. */
  public Identity(String user, Set<String> roles, long expiresAtMs) {
    this(user, roles, expiresAtMs, RoomGrants.NONE, null);
  }

  /**
   * @param user a user id trusted as sent (development mode only)
   * @return an identity with no roles that never expires and may join every room
   */
  public static Identity trusted(String user) {
    return new Identity(user, Set.of(), 0, RoomGrants.ALL, null);
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
   * Whether the caller may read a room's members (a {@code presence.query} by room through the bridge): the same
   * right as watching it (docs/protocol.md §12.1), so the two ways to see a room's members agree.
   *
   * @param room a room name
   * @return whether these grants let the caller watch it, or it may watch everything
   */
  public boolean mayReadRoom(String room) {
    return mayWatchAll() || rooms.mayWatch(room);
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
