package dev.presence.auth;

/**
 * What a verified room token grants (docs/protocol.md §12.3): a JWT the application's backend signs with a key the
 * node trusts for access tokens, carrying {@code sub}, {@code room}, {@code exp} and optionally {@code nick}. It lets
 * that user join that one room whatever its access token's rooms claim says, and, with {@code nick}, claims that room
 * nickname for it. Immutable.
 *
 * @param user        the token's {@code sub} (NFC, as {@code UserIds} keeps user ids)
 * @param room        the token's {@code room}: the only room it opens
 * @param nick        the room nickname the backend reserves for the user, or {@code null}
 * @param tokenId     the token's {@code jti}, or {@code null} (a revocation by {@code jti} refuses it)
 * @param expiresAtMs the token's {@code exp}, epoch ms (checked when the token is presented; a membership it opened
 *                    outlives it, as one opened under a rooms claim outlives a refresh)
 */
public record RoomTicket(String user, String room, String nick, String tokenId, long expiresAtMs) {
}
