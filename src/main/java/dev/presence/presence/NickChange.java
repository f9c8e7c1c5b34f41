package dev.presence.presence;

/** The answer to a nickname request, as the client will be told it. */
public sealed interface NickChange {

  /**
   * The session now holds the nickname.
   *
   * @param nick         display form
   * @param key          normalized form
   * @param fencingToken the lease's fencing token
   */
  record Claimed(String nick, String key, long fencingToken) implements NickChange {
  }

  /**
   * The request was refused.
   *
   * @param code    protocol error code ({@code nick_taken} or {@code nick_invalid})
   * @param message human-readable reason
   */
  record Rejected(String code, String message) implements NickChange {
  }
}
