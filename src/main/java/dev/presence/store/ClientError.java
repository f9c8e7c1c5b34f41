package dev.presence.store;

/**
 * What a client is told when a request failed: an error code of docs/protocol.md §5 (WebSocket) or
 * docs/event-bus.md (event bus), its message, and whether the failure is a bug (the WebSocket session is then
 * closed with 1011; the event-bus request gets 500) rather than a store that may answer on a retry. Immutable.
 *
 * @param code    {@code nick_unavailable} (no quorum), {@code unavailable} (store did not answer) or
 *                {@code server_error}
 * @param message text for the client; never a stack trace
 * @param bug     true for {@code server_error}
 */
public record ClientError(String code, String message, boolean bug) {
}
