package dev.presence.nickname;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guards what {@link Confusables} promises about ICU's data, so an ICU upgrade that breaks it fails here. */
class ConfusablesTest {

  private static final SpoofChecker SKELETONS =
      new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE).build();
  private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

  @Test
  void every_code_point_a_nickname_may_hold_reaches_a_fixed_point() {
    // If one did not, its key could differ from the key of its own prototype, i.e. two look-alikes could
    // coexist; MAX_ROUNDS would have to grow.
    List<String> unsettled = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (!mayAppearInANickname(cp)) {
        continue;
      }
      String folded = NFKC_CASEFOLD.normalize(NFKC.normalize(new String(Character.toChars(cp))));
      if (folded.isEmpty()) {
        continue;
      }
      String key = Confusables.key(folded);
      if (!NFKC_CASEFOLD.normalize(SKELETONS.getSkeleton(key)).equals(key)) {
        unsettled.add(String.format("U+%04X", cp));
      }
    }
    assertThat(unsettled).isEmpty();
  }

  private static boolean mayAppearInANickname(int cp) {
    if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) {
      return false;
    }
    int type = UCharacter.getType(cp);
    return cp == '_' || cp == '-'
        || type == UCharacterCategory.UPPERCASE_LETTER
        || type == UCharacterCategory.LOWERCASE_LETTER
        || type == UCharacterCategory.TITLECASE_LETTER
        || type == UCharacterCategory.MODIFIER_LETTER
        || type == UCharacterCategory.OTHER_LETTER
        || type == UCharacterCategory.DECIMAL_DIGIT_NUMBER
        || type == UCharacterCategory.NON_SPACING_MARK
        || type == UCharacterCategory.COMBINING_SPACING_MARK;
  }
}
