package dev.presence.nickname;

/**
 * The outcome of {@link NicknameRules#check(String)}: either a {@link Valid} nickname with its display
 * form and uniqueness key, or an {@link Invalid} one with a reason for the client.
 *
 * <p>Instances are immutable records and safe to share between threads.
 */
public sealed interface NicknameCheck permits NicknameCheck.Valid, NicknameCheck.Invalid {

  /**
   * An accepted nickname.
   *
   * @param display the NFKC form of the input; what other users are shown
   * @param key     the NFKC_Casefold form of {@code display}; two nicknames collide iff their keys are equal
   */
  record Valid(String display, String key) implements NicknameCheck {}

  /**
   * A rejected nickname.
   *
   * @param reason a short English sentence, safe to send to the client as the error message
   */
  record Invalid(String reason) implements NicknameCheck {}
}
