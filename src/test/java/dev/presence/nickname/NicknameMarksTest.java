package dev.presence.nickname;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Combining marks: real names in scripts that need them pass, Zalgo text does not. */
class NicknameMarksTest {

  private static final String TOO_MANY_ON_ONE = "nickname may have at most 4 combining marks on one character";
  private static final String REPEATED = "nickname repeats a combining mark on one character";
  private static final String TOO_MANY = "nickname may have at most 8 non-spacing combining marks";

  // Marks that compose with no Latin letter, so NFKC keeps them as separate code points.
  private static final String X_BELOW = "\u0353";
  private static final String BRIDGE_ABOVE = "\u0346";
  private static final String TILDE_OVERLAY = "\u0334";
  private static final String DOUBLE_VERTICAL_LINE_BELOW = "\u0348";
  private static final String LEFT_ANGLE_ABOVE = "\u031A";

  private static String invalidReason(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    assertThat(check).as("check(%s)", raw).isInstanceOf(NicknameCheck.Invalid.class);
    return ((NicknameCheck.Invalid) check).reason();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "नमस्ते", "सिद्धार्थ", "प्रियंका", "लक्ष्मी", "कृष्णमूर्ति", "धर्मेन्द्र", "सिंह",    // Hindi
      "\u095B\u0948\u0928\u092C",                                      // ज़ैनब Zainab: nukta + vowel sign
      "রবীন্দ্রনাথ", "সৌমিত্র",                                         // Bengali
      "முத்துலட்சுமி", "சுப்பிரமணியம்",                                   // Tamil
      "వెంకటేశ్వర", "ಪುನೀತ್", "കൃഷ്ണൻ",                                   // Telugu, Kannada, Malayalam
      "ઐશ્વર્યા", "ਗੁਰਪ੍ਰੀਤ",                                              // Gujarati, Gurmukhi
      "สมศักดิ์", "ประยุทธ์", "จันทร์โอชา", "สุวรรณภูมิ", "เฉลิมพระเกียรติ",                 // Thai
      "ศักดิ์สิทธิ์",
      "ສົມສັກ", "ស៊ីហនុ", "ហ៊ុនសែន",                                     // Lao, Khmer
      "ကျော်", "ကျော်ကျော်", "ကြိုး", "မြို့", "မင်းအောင်လှိုင်", "အောင်ဆန်းစုကြည်", // Burmese
      "སྒྲོལ",                                                            // Tibetan: two subjoined letters and a vowel
      "שָׁלוֹם", "יִשָּׂשכָר",                                              // Hebrew with points
      "مُحَمَّد", "عَبْدُاللَّٰه",                                           // Arabic with vowel marks
      "Ṣọ̀lá", "Dinė́", "Nguye\u0302\u0303n"                              // Yoruba, Navajo, decomposed Vietnamese
  })
  void real_names_with_combining_marks_are_valid(String name) {
    assertThat(NicknameRules.check(name)).as(name).isInstanceOf(NicknameCheck.Valid.class);
  }

  @Test
  void burmese_kyaw_needs_four_marks_on_one_letter() {
    // က + medial ya (Mc) + vowel sign e (Mc) + vowel sign aa (Mc) + asat (Mn): why the row allows 4.
    assertThat(NicknameRules.check("\u1000\u103B\u1031\u102C\u103A")).isInstanceOf(NicknameCheck.Valid.class);
  }

  @Test
  void zalgo_text_is_refused() {
    // A typical generator output: a dozen marks above and below each letter.
    String zalgo = "Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F\u0334\u0319\u0324\u031E\u0349\u035A\u032F"
        + "a\u0310\u0352\u0357\u0357\u0339l\u0335g\u0336o";
    assertThat(NicknameRules.check(zalgo)).isInstanceOf(NicknameCheck.Invalid.class);
    String noInvisible = "Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u0334\u0319a";
    assertThat(invalidReason(noInvisible)).isEqualTo(TOO_MANY_ON_ONE);
  }

  @Test
  void four_marks_on_one_letter_pass_and_five_do_not() {
    String four = X_BELOW + BRIDGE_ABOVE + TILDE_OVERLAY + DOUBLE_VERTICAL_LINE_BELOW;
    assertThat(NicknameRules.check("x" + four + "y")).isInstanceOf(NicknameCheck.Valid.class);
    assertThat(invalidReason("x" + four + LEFT_ANGLE_ABOVE + "y")).isEqualTo(TOO_MANY_ON_ONE);
  }

  @Test
  void the_same_mark_twice_on_one_letter_is_refused() {
    // Drawn twice in one place it looks like one: "x" with one or two bridges would look alike.
    assertThat(invalidReason("x" + BRIDGE_ABOVE + BRIDGE_ABOVE)).isEqualTo(REPEATED);
    // Canonical reordering may separate the two; they are still on one letter.
    assertThat(invalidReason("x" + BRIDGE_ABOVE + X_BELOW + BRIDGE_ABOVE)).isEqualTo(REPEATED);
    // The same mark on two letters is fine.
    assertThat(NicknameRules.check("x" + BRIDGE_ABOVE + "y" + BRIDGE_ABOVE)).isInstanceOf(NicknameCheck.Valid.class);
  }

  @Test
  void eight_nonspacing_marks_in_all_pass_and_nine_do_not() {
    String two = X_BELOW + BRIDGE_ABOVE;
    assertThat(NicknameRules.check(("x" + two).repeat(4))).isInstanceOf(NicknameCheck.Valid.class);
    assertThat(invalidReason(("x" + two).repeat(4) + "x" + X_BELOW)).isEqualTo(TOO_MANY);
  }

  @Test
  void spacing_marks_do_not_count_towards_the_total() {
    // Min Aung Hlaing in Burmese: 9 marks, 6 of them nonspacing.
    assertThat(NicknameRules.check("မင်းအောင်လှိုင်")).isInstanceOf(NicknameCheck.Valid.class);
  }
}
