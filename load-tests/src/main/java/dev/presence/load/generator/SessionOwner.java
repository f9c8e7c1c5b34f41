package dev.presence.load.generator;

/**
 * The driver that opened a session: it hears how the opening ended and when the connection closed.
 * Called on the generator's event loop.
 */
interface SessionOwner {

  /** {@code welcome} arrived; {@code session.sessionId} is set. */
  void onWelcome(LoadSession session);

  /** The upgrade failed, or the connection closed before {@code welcome}. */
  void onFailed(LoadSession session, String cause);

  /** The connection closed after {@code welcome} (by the server, or by us). */
  void onClosed(LoadSession session);
}
