package dev.presence.nickname;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;

/**
 * Validates nicknames and derives the key under which they are unique.
 *
 * <p>The rule, applied to the raw string {@code raw} sent by the client:
 * <ol>
 *   <li>{@code raw} must not contain any code point of general category Cc (control), Cf (format, e.g. bidi
 *       controls U+202A..U+202E and U+2066..U+2069, zero-width U+200B..U+200D, U+2060, U+FEFF, soft hyphen
 *       U+00AD), Cs (surrogate), Co (private use) or Cn (unassigned), nor any whitespace (Unicode White_Space
 *       property, or category Zs, Zl, Zp); nor any invisible code point: Default_Ignorable_Code_Point (e.g.
 *       the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, which are letters, the combining grapheme joiner
 *       U+034F, variation selectors, Mongolian free variation selectors) or U+16FE4 KHITAN SMALL SCRIPT
 *       FILLER (a blank mark that is not default-ignorable).</li>
 *   <li>{@code display = NFKC(raw)}. {@code display} must pass rule 1 as well (NFKC can turn a legal
 *       character into a space, e.g. U+00A8 DIAERESIS becomes U+0020 U+0308).</li>
 *   <li>{@code display} must be 1 to {@value #MAX_CODE_POINTS} Unicode code points long.</li>
 *   <li>The first code point of {@code display} must be a letter (Lu, Ll, Lt, Lm, Lo) or a decimal digit
 *       (Nd); every other code point must be a letter, a decimal digit, a combining mark (Mn, Mc),
 *       {@code _} (U+005F) or {@code -} (U+002D). Marks are allowed so that scripts such as Devanagari
 *       or Thai can be written.</li>
 *   <li>Combining marks in {@code display}: at most {@value #MAX_MARKS_PER_CHARACTER} in a row (Mn or Mc)
 *       after one character, never the same nonspacing mark (Mn) twice after one character, and at most
 *       {@value #MAX_NONSPACING_MARKS} nonspacing marks in all (UTS #39 §5.4; reasons in
 *       {@link CombiningMarks}).</li>
 *   <li>{@code display} must not mix scripts beyond UTS #39 §5.2 "Moderately Restrictive": one script (Han
 *       with Hiragana and Katakana, with Bopomofo, or with Hangul counts as one), or Latin with one other
 *       script except Cyrillic, Greek and Cherokee; digits, {@code _}, {@code -} and inherited marks go with
 *       any script.</li>
 *   <li>{@code folded = NFKC_Casefold(display)}; it must not be empty and, like {@code display}, must start
 *       with a letter or a decimal digit (so a nickname whose comparison form starts with a mark, or has no
 *       visible letter or digit, is refused even if a future Unicode version folds something unexpected).</li>
 *   <li>{@code key = NFKC_Casefold(skeleton(toUpperCase(folded)))}, then {@code key =
 *       NFKC_Casefold(skeleton(key))} until it no longer changes, where {@code skeleton} is the UTS #39 §4
 *       confusable skeleton and {@code toUpperCase} the full root-locale mapping. Two nicknames collide iff
 *       their keys are equal, so {@code Admin}, {@code ADMIN}, {@code ａｄｍｉｎ}, {@code adrnin} and
 *       {@code ADMlN} (small L) are one nickname, and so are Latin {@code paypal} and Cyrillic {@code раураӏ}
 *       (why this order, and what it merges and misses: {@link Confusables}).</li>
 * </ol>
 *
 * <p>Sources: normalization forms from Unicode UAX #15, general categories and Default_Ignorable_Code_Point
 * from the Unicode Character Database, NFKC_Casefold as defined in DerivedNormalizationProps.txt, skeletons
 * and the mark limits from UTS #39. All of it is ICU4J's data, so the Unicode version is that of the ICU4J on
 * the classpath ({@link UCharacter#getUnicodeVersion()}), not that of the JDK. The idea is that of the RFC
 * 8265 PRECIS Nickname profile (width/compatibility mapping, case folding, NFKC), but stricter: PRECIS allows
 * spaces, symbols and punctuation, we allow only letters, digits, marks, {@code _} and {@code -}. ZWJ/ZWNJ are
 * rejected although some Indic and Arabic-script names use them; accepting them safely needs the RFC 5892
 * CONTEXTJ rules. Mongolian free variation selectors are rejected too, so a Mongolian name is shown with its
 * default glyph forms.
 *
 * <p>All methods are pure and thread-safe: no I/O, no shared mutable state, so they may be called from
 * any thread, including Vert.x event loops.
 */
public final class NicknameRules {

  /** Largest number of Unicode code points in a nickname's display form. */
  public static final int MAX_CODE_POINTS = 32;

  /** Most combining marks (Mn or Mc) in a row after one character of a nickname's display form. */
  public static final int MAX_MARKS_PER_CHARACTER = CombiningMarks.MAX_PER_BASE;

  /** Most nonspacing marks (Mn) in a nickname's display form. */
  public static final int MAX_NONSPACING_MARKS = CombiningMarks.MAX_NONSPACING;

  // Caps the work spent on hostile input without changing the outcome: a canonical decomposition is at
  // most 4 code points (U+1F82), so NFKC merges at most 4 input code points (8 UTF-16 units) into one,
  // so nothing over 8 * MAX_CODE_POINTS = 256 units can be valid; 1024 leaves margin.
  private static final int MAX_RAW_UTF16_UNITS = 1024;

  // A blank filler mark in the Khitan Small Script block that Unicode does not list as default-ignorable.
  private static final int KHITAN_SMALL_SCRIPT_FILLER = 0x16FE4;

  private static final String LENGTH = "nickname must be 1-" + MAX_CODE_POINTS + " characters";
  private static final String FORBIDDEN =
      "nickname contains a control, format, whitespace, private-use or unassigned character";
  private static final String INVISIBLE_CHARACTER =
      "nickname contains an invisible character (e.g. U+3164 HANGUL FILLER or a variation selector)";
  private static final String CHARSET =
      "nickname may contain only letters, digits, combining marks, '_' and '-'";
  private static final String START = "nickname must start with a letter or digit";
  private static final String SCRIPTS =
      "nickname mixes scripts: use one script, or Latin with one other script except Cyrillic and Greek";
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
    String problem = forbiddenProblem(raw);
    if (problem != null) {
      return new NicknameCheck.Invalid(problem);
    }
    String display = NFKC.normalize(raw);
    problem = displayProblem(display);
    if (problem != null) {
      return new NicknameCheck.Invalid(problem);
    }
    String folded = NFKC_CASEFOLD.normalize(display);
    // Rule 1 already refuses every default-ignorable code point, the only ones NFKC_Casefold removes, so an
    // empty fold (U+3164 HANGUL FILLER alone) cannot occur today; the check keeps the guarantee regardless.
    if (folded.isEmpty()) {
      return new NicknameCheck.Invalid(INVISIBLE);
    }
    if (!isLetterOrDigit(UCharacter.getType(folded.codePointAt(0)))) {
      return new NicknameCheck.Invalid(START);
    }
    return new NicknameCheck.Valid(display, Confusables.key(folded));
  }

  /** Rules 1 (again, on the NFKC form) to 6. */
  private static String displayProblem(String display) {
    String problem = forbiddenProblem(display);
    if (problem != null) {
      return problem;
    }
    int length = display.codePointCount(0, display.length());
    if (length < 1 || length > MAX_CODE_POINTS) {
      return LENGTH;
    }
    int first = display.codePointAt(0);
    if (!isLetterOrDigit(UCharacter.getType(first))) {
      return START;
    }
    for (int i = Character.charCount(first); i < display.length(); ) {
      int cp = display.codePointAt(i);
      int type = UCharacter.getType(cp);
      boolean mark = type == UCharacterCategory.NON_SPACING_MARK
          || type == UCharacterCategory.COMBINING_SPACING_MARK;
      if (!isLetterOrDigit(type) && !mark && cp != '_' && cp != '-') {
        return CHARSET;
      }
      i += Character.charCount(cp);
    }
    String marks = CombiningMarks.problem(display);
    if (marks != null) {
      return marks;
    }
    return Confusables.mixesScripts(display) ? SCRIPTS : null;
  }

  /**
   * Rule 1. Categories first, so a zero-width space or a bidi control (format characters, and default-ignorable
   * too) keeps its long-standing message.
   */
  private static String forbiddenProblem(String s) {
    if (s.codePoints().anyMatch(NicknameRules::isForbidden)) {
      return FORBIDDEN;
    }
    if (s.codePoints().anyMatch(NicknameRules::isInvisible)) {
      return INVISIBLE_CHARACTER;
    }
    return null;
  }

  // Category data from ICU throughout (not java.lang.Character), so every test uses one Unicode version.
  private static boolean isForbidden(int cp) {
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
  }

  // Default_Ignorable_Code_Point: "should be ignored in rendering" (UAX #44). "a" + U+3164 would show as "a"
  // while being another string; a nickname of fillers, or a filler carrying a mark, would show as blank.
  private static boolean isInvisible(int cp) {
    return UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
        || cp == KHITAN_SMALL_SCRIPT_FILLER;
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
