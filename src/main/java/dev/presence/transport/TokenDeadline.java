package dev.presence.transport;

import io.vertx.core.Vertx;
import java.time.InstantSource;

/**
 * When a session's access token expires, as a timer on the session's event loop that a {@code refresh} moves.
 *
 * <p>Threading: confined to the session's event loop.
 */
final class TokenDeadline {

  private final Vertx vertx;
  private final InstantSource clock;
  private long timer = -1;
  private long expiresAt;

  TokenDeadline(Vertx vertx, InstantSource clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * Replaces the deadline.
   *
   * @param atMs      epoch ms when the token expires, or 0 for never
   * @param onExpired runs at that time unless moved or cancelled
   */
  void schedule(long atMs, Runnable onExpired) {
    cancel();
    expiresAt = atMs;
    if (atMs > 0) {
      timer = vertx.setTimer(Math.max(1, atMs - clock.millis()), id -> {
        timer = -1;
        onExpired.run();
      });
    }
  }

  /** Stops the timer (the session closed). */
  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** @return epoch ms when the token expires, 0 if never */
  long expiresAt() {
    return expiresAt;
  }
}
