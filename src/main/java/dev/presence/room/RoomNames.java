package dev.presence.room;

/**
 * The room name rule (docs/protocol.md, "Rooms"): 1 to {@value #MAX_CODE_POINTS} code points, each a letter, a
 * digit or one of {@code _ - . : / #}. The rule comes from the issue (#13): names like {@code #general},
 * {@code team:42/design} or {@code doc.7} fit, while white space, control and invisible characters, quotes and
 * {@code *} (the grant pattern wildcard, see {@link RoomGrants}) do not. Names are compared exactly as sent (no
 * case folding): {@code #General} and {@code #general} are two rooms. Pure and thread-safe.
 */
public final class RoomNames {

  /** Longest room name, in code points. */
  public static final int MAX_CODE_POINTS = 128;

  /** The punctuation a room name may hold besides letters and digits. */
  static final String PUNCTUATION = "_-.:/#";

  private RoomNames() {
  }

  /**
   * @param name a candidate room name, maybe {@code null}
   * @return {@code null} if {@code name} is a valid room name, else why not, as a phrase to follow "room name "
   */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty";
    }
    int count = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (Character.isSurrogate(name.charAt(i)) && Character.charCount(cp) == 1) {
        return "must be valid UTF-16 (a lone surrogate)";
      }
      if (!Character.isLetter(cp) && !Character.isDigit(cp) && PUNCTUATION.indexOf(cp) < 0) {
        return "may hold only letters, digits and _ - . : / # (found U+"
            + String.format("%04X", cp) + ")";
      }
      i += Character.charCount(cp);
      if (++count > MAX_CODE_POINTS) {
        return "must be at most " + MAX_CODE_POINTS + " code points";
      }
    }
    return null;
  }

  /**
   * @param name a candidate room name
   * @return whether it is a valid room name
   */
  public static boolean isValid(String name) {
    return problem(name) == null;
  }
}
