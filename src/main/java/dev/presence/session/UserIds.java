package dev.presence.session;

/**
 * The rule for user ids, wherever they come from ({@code hello.user} in development mode, a token's {@code
 * sub} otherwise): not blank, at most {@link #MAX_LENGTH} UTF-16 units, and no code point a reader cannot see
 * (controls, format characters such as bidi overrides, line/paragraph separators, lone surrogates), so a log
 * line or a list of users never hides or reorders what it shows. Pure.
 */
public final class UserIds {

  /** Longest accepted user id (UTF-16 units). */
  public static final int MAX_LENGTH = 128;

  /** Why an id is refused, for error messages. */
  public static final String RULE = "a non-empty string of at most " + MAX_LENGTH
      + " characters without control, format (e.g. bidi override) or line separator characters";

  private UserIds() {
  }

  /**
   * @param user a candidate user id, maybe {@code null}
   * @return whether it follows the rule
   */
  public static boolean isValid(String user) {
    return user != null && !user.isBlank() && user.length() <= MAX_LENGTH
        && user.codePoints().noneMatch(UserIds::isInvisible);
  }

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
  }
}
