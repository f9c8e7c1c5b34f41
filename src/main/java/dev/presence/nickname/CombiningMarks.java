package dev.presence.nickname;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits on combining marks in a nickname's display form, against "Zalgo" text (a letter buried under
 * dozens of stacked diacritics that spill over the lines above and below):
 * <ul>
 *   <li>at most {@value #MAX_PER_BASE} combining marks (Mn or Mc) in a row after one base character;</li>
 *   <li>never the same nonspacing mark (Mn) twice after one base character;</li>
 *   <li>at most {@value #MAX_NONSPACING} nonspacing marks (Mn) in the whole nickname.</li>
 * </ul>
 *
 * <p>Sources: the first two are UTS #39 §5.4 (Optional Detection): "Forbid sequences of the same nonspacing
 * mark" (many fonts draw a repeated mark in one place, so {@code á} and {@code á́} can look alike) and
 * "Forbid sequences of more than 4 nonspacing marks". UTS #39 counts nonspacing marks only; the row here counts
 * spacing marks (Mc) too, so a row of either kind stays short. A tighter row, such as 2, refuses real names: Burmese
 * ကျော် (Kyaw: a letter, then medial ya, vowel signs e and aa, and asat: 4 marks, one of them nonspacing) and
 * ကြိုး, Tibetan སྒྲོལ (two subjoined letters and a vowel: 3 nonspacing marks), Hebrew יִשָּׂשכָר and vocalised
 * Arabic اللَّٰه (3 each). The total counts nonspacing marks only, because they are the ones that stack: a
 * spacing mark has an advance width of its own, like a letter. The most any real name in NicknameMarksTest
 * needs is 6 (Thai ศักดิ์สิทธิ์, vocalised Arabic عَبْدُاللَّٰه); Burmese names have more marks in all
 * (မင်းအောင်လှိုင်: 9) but at most 6 nonspacing.
 *
 * <p>Counted on the NFKC form, after canonical reordering: composed letters such as Vietnamese {@code ễ}
 * carry no mark at all, and marks of one base are contiguous. Pure and thread-safe.
 */
final class CombiningMarks {

  /** Most combining marks (Mn or Mc) in a row after one base character. */
  static final int MAX_PER_BASE = 4;

  /** Most nonspacing marks (Mn) in one nickname. */
  static final int MAX_NONSPACING = 8;

  static final String TOO_MANY_ON_ONE = "nickname may have at most " + MAX_PER_BASE
      + " combining marks on one character";
  static final String REPEATED = "nickname repeats a combining mark on one character";
  static final String TOO_MANY = "nickname may have at most " + MAX_NONSPACING + " non-spacing combining marks";

  private CombiningMarks() {}

  /**
   * @param display a nickname's NFKC form whose code points are letters, digits, marks, {@code _} or {@code -}
   * @return why it breaks a limit (one of this class's messages), or {@code null} if it keeps all three
   */
  static String problem(String display) {
    List<Integer> row = new ArrayList<>(MAX_PER_BASE + 1);
    int nonspacing = 0;
    for (int i = 0; i < display.length(); ) {
      int cp = display.codePointAt(i);
      i += Character.charCount(cp);
      int type = UCharacter.getType(cp);
      if (type != UCharacterCategory.NON_SPACING_MARK && type != UCharacterCategory.COMBINING_SPACING_MARK) {
        row.clear();
        continue;
      }
      if (row.size() == MAX_PER_BASE) {
        return TOO_MANY_ON_ONE;
      }
      if (type == UCharacterCategory.NON_SPACING_MARK) {
        if (row.contains(cp)) {
          return REPEATED;
        }
        if (++nonspacing > MAX_NONSPACING) {
          return TOO_MANY;
        }
      }
      row.add(cp);
    }
    return null;
  }
}
