package dev.presence.session;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;

/**
 * The rule for user ids, wherever they come from ({@code hello.user} in development mode, a token's {@code sub}
 * otherwise, an entry of {@code subscribe.users}): the id is normalized to NFC, then refused if it
 * <ol>
 *   <li>is empty, or longer than {@value #MAX_LENGTH} UTF-16 units (counted after NFC);</li>
 *   <li>begins or ends with white space (Unicode White_Space: {@code "alice "} would be another user than
 *       {@code "alice"} while every list shows them alike);</li>
 *   <li>contains a code point a reader cannot see: general category Cc (control), Cf (format, e.g. the bidi
 *       override U+202E or the zero-width space U+200B), Zl, Zp (line and paragraph separators) or Cs (a lone
 *       surrogate), or a Default_Ignorable_Code_Point (e.g. U+3164 HANGUL FILLER, a variation selector) or
 *       noncharacter, so a log line or a list of users never hides or reorders what it shows.</li>
 * </ol>
 * Spaces inside an id are allowed (an identity provider's {@code sub} may be a name or an LDAP DN), and so is
 * every other visible character; ids stay case-sensitive.
 *
 * <p>The reference is the PRECIS UsernameCasePreserved profile (RFC 8265 §3.3, on the framework of RFC 8264),
 * which ICU4J does not implement (it has RFC 3454 stringprep and UTS #46, not PRECIS). What we follow: its
 * normalization rule (NFC), its case rule (none: case is preserved), and the code points its IdentifierClass
 * disallows because they cannot be seen (RFC 8264 §9: Controls, and PrecisIgnorableProperties, i.e.
 * Default_Ignorable_Code_Point or Noncharacter_Code_Point). What we do not: its width mapping (fullwidth to
 * ASCII) and the rest of its IdentifierClass (spaces, symbols, punctuation), because an identity provider may
 * issue {@code ａｌｉｃｅ} and {@code alice} to two people, and a compatibility mapping would merge them into one
 * user; NFC only merges canonically equivalent strings, which Unicode defines as the same text. Nor its bidi
 * rule (RFC 5893). Canonically equivalent ids ({@code José} precomposed or with a combining acute) are one user.
 *
 * <p>Unicode data is ICU4J's (as for nicknames), not the JDK's. Pure and thread-safe.
 */
public final class UserIds {

  /** Longest accepted user id (UTF-16 units, after NFC). */
  public static final int MAX_LENGTH = 128;

  /** The outcome of {@link #check}: immutable, safe to share. */
  public sealed interface Check permits Valid, Invalid {
  }

  /** @param user the id in NFC, the form every other part of the node uses */
  public record Valid(String user) implements Check {
  }

  /**
   * @param reason why the id is refused, phrased to follow the name of the field ("field 'user' " + reason)
   */
  public record Invalid(String reason) implements Check {
  }

  static final String EMPTY = "must not be empty";
  static final String TOO_LONG = "must be at most " + MAX_LENGTH + " characters";
  static final String EDGE_SPACE = "must not begin or end with white space";
  static final String INVISIBLE = "must not contain control, format (e.g. bidi override or zero-width), "
      + "line separator or other invisible characters";

  // NFC can merge a few code points into one, so an id over 8 times the limit cannot be valid; refusing it
  // before normalizing caps the work spent on hostile input.
  private static final int MAX_RAW_LENGTH = 8 * MAX_LENGTH;

  // ICU documents Normalizer2 instances as immutable and thread-safe.
  private static final Normalizer2 NFC = Normalizer2.getNFCInstance();

  private UserIds() {
  }

  /**
   * @param raw a candidate user id as received, maybe {@code null}
   * @return {@link Valid} with its NFC form, or {@link Invalid} with the reason; never {@code null}, never throws
   */
  public static Check check(String raw) {
    if (raw == null || raw.isEmpty()) {
      return new Invalid(EMPTY);
    }
    if (raw.length() > MAX_RAW_LENGTH) {
      return new Invalid(TOO_LONG);
    }
    // Before NFC, so normalizing cannot rewrite what is refused (NFC keeps these code points anyway).
    if (raw.codePoints().anyMatch(UserIds::isInvisible)) {
      return new Invalid(INVISIBLE);
    }
    String user = NFC.normalize(raw);
    if (user.length() > MAX_LENGTH) {
      return new Invalid(TOO_LONG);
    }
    if (UCharacter.isUWhiteSpace(user.codePointAt(0))
        || UCharacter.isUWhiteSpace(user.codePointBefore(user.length()))) {
      return new Invalid(EDGE_SPACE);
    }
    return new Valid(user);
  }

  /**
   * The form under which a user id given to a lookup (HTTP, event bus) is searched: NFC, the form every stored id
   * has, without the checks of {@link #check} (an id that breaks them is simply not found).
   *
   * @param raw a user id as received (not {@code null})
   * @return its NFC form
   */
  public static String lookupForm(String raw) {
    return NFC.normalize(raw);
  }

  private static boolean isInvisible(int cp) {
    int type = UCharacter.getType(cp);
    return type == UCharacterCategory.CONTROL
        || type == UCharacterCategory.FORMAT
        || type == UCharacterCategory.LINE_SEPARATOR
        || type == UCharacterCategory.PARAGRAPH_SEPARATOR
        || type == UCharacterCategory.SURROGATE
        || UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
        || UCharacter.hasBinaryProperty(cp, UProperty.NONCHARACTER_CODE_POINT);
  }
}
