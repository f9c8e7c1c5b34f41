package dev.presence.nickname;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.text.Normalizer2;

/**
 * Validates nicknames and derives the key under which they are unique.
 *
 * <p>The rule, applied to the raw string {@code raw} sent by the client:
 * <ol>
 *   <li>{@code raw} must not contain any code point of general category Cc (control), Cf (format, e.g.
 *       bidi controls U+202A..U+202E and U+2066..U+2069, zero-width U+200B..U+200D, U+2060, U+FEFF, soft
 *       hyphen U+00AD), Cs (surrogate), Co (private use) or Cn (unassigned), nor any whitespace (Unicode
 *       White_Space property, or category Zs, Zl, Zp).</li>
 *   <li>{@code display = NFKC(raw)}. {@code display} must pass rule 1 as well (NFKC can turn a legal
 *       character into a space, e.g. U+00A8 DIAERESIS becomes U+0020 U+0308).</li>
 *   <li>{@code display} must be 1 to {@value #MAX_CODE_POINTS} Unicode code points long.</li>
 *   <li>The first code point of {@code display} must be a letter (Lu, Ll, Lt, Lm, Lo) or a decimal digit
 *       (Nd); every other code point must be a letter, a decimal digit, a combining mark (Mn, Mc),
 *       {@code _} (U+005F) or {@code -} (U+002D). Marks are allowed so that scripts such as Devanagari
 *       or Thai can be written.</li>
 *   <li>{@code key = NFKC_Casefold(display)}, which also removes default-ignorable code points; it must
 *       not be empty. Two nicknames collide iff their keys are equal.</li>
 * </ol>
 *
 * <p>Sources: normalization forms from Unicode UAX #15, general categories from the Unicode Character
 * Database, NFKC_Casefold as defined in DerivedNormalizationProps.txt. All of it is ICU4J's data, so the
 * Unicode version is that of the ICU4J on the classpath ({@link UCharacter#getUnicodeVersion()}), not
 * that of the JDK. The idea is that of the RFC 8265 PRECIS Nickname profile (width/compatibility mapping,
 * case folding, NFKC), but stricter: PRECIS allows spaces, symbols and punctuation, we allow only
 * letters, digits, marks, {@code _} and {@code -}. ZWJ/ZWNJ are rejected although some Indic and
 * Arabic-script names use them; accepting them safely needs the RFC 5892 CONTEXTJ rules. Confusable
 * characters across scripts (UTS #39) are not detected.
 *
 * <p>All methods are pure and thread-safe: no I/O, no shared mutable state, so they may be called from
 * any thread, including Vert.x event loops.
 */
public final class NicknameRules {

  /** Largest number of Unicode code points in a nickname's display form. */
  public static final int MAX_CODE_POINTS = 32;

  // Caps the work spent on hostile input without changing the outcome: a canonical decomposition is at
  // most 4 code points (U+1F82), so NFKC merges at most 4 input code points (8 UTF-16 units) into one,
  // so nothing over 8 * MAX_CODE_POINTS = 256 units can be valid; 1024 leaves margin.
  private static final int MAX_RAW_UTF16_UNITS = 1024;

  private static final String LENGTH = "nickname must be 1-" + MAX_CODE_POINTS + " characters";
  private static final String FORBIDDEN =
      "nickname contains a control, format, whitespace, private-use or unassigned character";
  private static final String CHARSET =
      "nickname may contain only letters, digits, combining marks, '_' and '-'";
  private static final String START = "nickname must start with a letter or digit";
  private static final String INVISIBLE = "nickname must contain a visible letter or digit";

  // ICU documents Normalizer2 instances as immutable and thread-safe.
  private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

  private NicknameRules() {}

  /**
   * Applies the rule in the class documentation to a nickname sent by a client.
   *
   * @param raw the nickname as received; may be {@code null}
   * @return {@link NicknameCheck.Valid} with the display form and uniqueness key, or
   *     {@link NicknameCheck.Invalid} with a reason for the client; never {@code null}, never throws
   */
  public static NicknameCheck check(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_RAW_UTF16_UNITS) {
      return new NicknameCheck.Invalid(LENGTH);
    }
    // Before NFKC: normalizing could hide or rewrite a bidi override, a control or a lone surrogate.
    if (hasForbidden(raw)) {
      return new NicknameCheck.Invalid(FORBIDDEN);
    }
    String display = NFKC.normalize(raw);
    if (hasForbidden(display)) {
      return new NicknameCheck.Invalid(FORBIDDEN);
    }
    int length = display.codePointCount(0, display.length());
    if (length < 1 || length > MAX_CODE_POINTS) {
      return new NicknameCheck.Invalid(LENGTH);
    }
    int first = display.codePointAt(0);
    if (!isLetterOrDigit(UCharacter.getType(first))) {
      return new NicknameCheck.Invalid(START);
    }
    for (int i = Character.charCount(first); i < display.length(); ) {
      int cp = display.codePointAt(i);
      int type = UCharacter.getType(cp);
      boolean mark = type == UCharacterCategory.NON_SPACING_MARK
          || type == UCharacterCategory.COMBINING_SPACING_MARK;
      if (!isLetterOrDigit(type) && !mark && cp != '_' && cp != '-') {
        return new NicknameCheck.Invalid(CHARSET);
      }
      i += Character.charCount(cp);
    }
    String key = NFKC_CASEFOLD.normalize(display);
    // Empty when every code point is default-ignorable, e.g. U+3164 HANGUL FILLER (a letter, but blank).
    if (key.isEmpty()) {
      return new NicknameCheck.Invalid(INVISIBLE);
    }
    return new NicknameCheck.Valid(display, key);
  }

  // Category data from ICU throughout (not java.lang.Character), so every test uses one Unicode version.
  private static boolean hasForbidden(String s) {
    return s.codePoints().anyMatch(cp -> {
      int type = UCharacter.getType(cp);
      return type == UCharacterCategory.CONTROL
          || type == UCharacterCategory.FORMAT
          || type == UCharacterCategory.SURROGATE
          || type == UCharacterCategory.PRIVATE_USE
          || type == UCharacterCategory.UNASSIGNED
          || type == UCharacterCategory.SPACE_SEPARATOR
          || type == UCharacterCategory.LINE_SEPARATOR
          || type == UCharacterCategory.PARAGRAPH_SEPARATOR
          || UCharacter.isUWhiteSpace(cp);
    });
  }

  private static boolean isLetterOrDigit(int type) {
    return type == UCharacterCategory.UPPERCASE_LETTER
        || type == UCharacterCategory.LOWERCASE_LETTER
        || type == UCharacterCategory.TITLECASE_LETTER
        || type == UCharacterCategory.MODIFIER_LETTER
        || type == UCharacterCategory.OTHER_LETTER
        || type == UCharacterCategory.DECIMAL_DIGIT_NUMBER;
  }
}
