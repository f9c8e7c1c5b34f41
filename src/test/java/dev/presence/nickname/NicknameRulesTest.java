package dev.presence.nickname;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NicknameRulesTest {

  private static final String INVISIBLE_CHARACTER =
      "nickname contains an invisible character (e.g. U+3164 HANGUL FILLER or a variation selector)";

  private static NicknameCheck.Valid valid(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    assertThat(check).as("check(%s)", escape(raw)).isInstanceOf(NicknameCheck.Valid.class);
    return (NicknameCheck.Valid) check;
  }

  private static String invalidReason(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    assertThat(check).as("check(%s)", escape(raw)).isInstanceOf(NicknameCheck.Invalid.class);
    return ((NicknameCheck.Invalid) check).reason();
  }

  private static String escape(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c) : (char) c));
    return out.toString();
  }

  @Test
  void latin_nick_is_valid_and_keyed_case_insensitively() {
    NicknameCheck.Valid alice = valid("Alice");
    assertThat(alice.display()).isEqualTo("Alice");
    // The key is a comparison form, not text: its capital I became the skeleton's small L.
    assertThat(alice.key()).isEqualTo("allce");
    assertThat(valid("ALICE").key()).isEqualTo(alice.key());
    assertThat(valid("alice").key()).isEqualTo(alice.key());
  }

  @Test
  void sharp_s_collides_with_double_s() {
    assertThat(valid("Straße").display()).isEqualTo("Straße");
    assertThat(valid("Straße").key()).isEqualTo(valid("STRASSE").key()).isEqualTo("strasse");
  }

  @Test
  void fullwidth_letters_are_shown_and_keyed_as_ascii() {
    NicknameCheck.Valid fullwidth = valid("Ａｌｉｃｅ");
    assertThat(fullwidth.display()).isEqualTo("Alice");
    assertThat(fullwidth.key()).isEqualTo(valid("alice").key());
  }

  @Test
  void kelvin_sign_is_the_letter_k() {
    NicknameCheck.Valid kelvin = valid("\u212Aelvin");
    assertThat(kelvin.display()).isEqualTo("Kelvin");
    assertThat(kelvin.key()).isEqualTo(valid("kelvin").key());
  }

  @Test
  void fi_ligature_is_expanded() {
    NicknameCheck.Valid fish = valid("\uFB01sh");
    assertThat(fish.display()).isEqualTo("fish");
    assertThat(fish.key()).isEqualTo(valid("FISH").key());
  }

  @Test
  void non_latin_scripts_are_valid() {
    assertThat(valid("Алиса").key()).isEqualTo(valid("АЛИСА").key());
    assertThat(valid("АЛИСА").display()).isEqualTo("АЛИСА");
    assertThat(valid("李雷").display()).isEqualTo("李雷");
    assertThat(valid("علي").display()).isEqualTo("علي");
  }

  @Test
  void devanagari_with_combining_marks_is_valid() {
    // न म स ् त े: the virama and vowel sign are marks (Mn) after letters.
    assertThat(valid("नमस्ते").display()).isEqualTo("नमस्ते");
    assertThat(valid("สวัสดี").display()).isEqualTo("สวัสดี");
  }

  @Test
  void arabic_indic_digits_are_valid_and_distinct_from_ascii_digits() {
    NicknameCheck.Valid arabic = valid("\u0661\u0662\u0663");
    assertThat(arabic.display()).isEqualTo("\u0661\u0662\u0663");
    assertThat(arabic.key()).isNotEqualTo(valid("123").key());
    assertThat(valid("agent007").key()).isEqualTo(valid("AGENT007").key());
  }

  @Test
  void underscore_and_hyphen_are_allowed_after_the_first_character() {
    assertThat(valid("a_b-c").display()).isEqualTo("a_b-c");
    assertThat(valid("a_").key()).isEqualTo("a_");
  }

  @Test
  void null_and_empty_are_invalid() {
    assertThat(invalidReason(null)).isEqualTo("nickname must be 1-32 characters");
    assertThat(invalidReason("")).isEqualTo("nickname must be 1-32 characters");
  }

  @Test
  void length_is_counted_in_code_points_of_the_display_form() {
    assertThat(valid("a".repeat(32)).display()).hasSize(32);
    assertThat(invalidReason("a".repeat(33))).isEqualTo("nickname must be 1-32 characters");

    // U+20000 (CJK Extension B) is one code point but two UTF-16 units, and NFKC keeps it.
    String astral = new String(Character.toChars(0x20000));
    NicknameCheck.Valid longest = valid(astral.repeat(32));
    assertThat(longest.display().length()).isEqualTo(64);
    assertThat(longest.display().codePointCount(0, 64)).isEqualTo(32);
    assertThat(invalidReason(astral.repeat(33))).isEqualTo("nickname must be 1-32 characters");

    // "ﬃ" is one code point in the input but three after NFKC.
    assertThat(valid("\uFB03".repeat(10) + "ab").display()).hasSize(32);
    assertThat(invalidReason("\uFB03".repeat(11))).isEqualTo("nickname must be 1-32 characters");
  }

  @Test
  void composition_can_shorten_the_input_to_a_valid_length() {
    // 40 input code points ("e" + COMBINING ACUTE) compose to 20 "é".
    NicknameCheck.Valid composed = valid("e\u0301".repeat(20));
    assertThat(composed.display()).isEqualTo("\u00E9".repeat(20));
  }

  @Test
  void huge_input_is_rejected_as_too_long() {
    assertThat(invalidReason("a".repeat(100_000))).isEqualTo("nickname must be 1-32 characters");
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {
      "0020", "0009", "000A", "000D", "00A0", "3000", "2028", "2029", // whitespace
      "0007", "0000", "007F", "0085",                                 // controls
      "200B", "200C", "200D", "2060", "FEFF", "00AD",                 // zero-width / soft hyphen
      "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069", // bidi controls
      "0378", "E000", "F8FF", "D800", "DC00"                          // unassigned, private use, surrogates
  })
  void control_format_whitespace_private_use_unassigned_and_surrogates_are_rejected(String hex) {
    String cp = new String(Character.toChars(Integer.parseInt(hex, 16)));
    String reason = "nickname contains a control, format, whitespace, private-use or unassigned character";
    assertThat(invalidReason("ab" + cp + "cd")).isEqualTo(reason);
    assertThat(invalidReason(cp + "abc")).isEqualTo(reason);
    assertThat(invalidReason("abc" + cp)).isEqualTo(reason);
  }

  @Test
  void unassigned_astral_and_supplementary_private_use_are_rejected() {
    String reason = "nickname contains a control, format, whitespace, private-use or unassigned character";
    assertThat(invalidReason("a" + new String(Character.toChars(0x10FFFD)))).isEqualTo(reason);
    assertThat(invalidReason("a" + new String(Character.toChars(0xEFFFF)))).isEqualTo(reason);
  }

  @Test
  void normalization_that_produces_a_space_is_rejected() {
    // U+00A8 DIAERESIS is a symbol (Sk); NFKC turns it into U+0020 U+0308.
    assertThat(invalidReason("a\u00A8"))
        .isEqualTo("nickname contains a control, format, whitespace, private-use or unassigned character");
  }

  @ParameterizedTest
  @ValueSource(strings = {"😀", "a😀", "a.b", "a@b", "a!", "a+b", "a/b", "a'b", "a#b", "a$", "a€", "a~b"})
  void emoji_symbols_and_punctuation_are_rejected(String raw) {
    assertThat(invalidReason(raw)).isIn(
        "nickname may contain only letters, digits, combining marks, '_' and '-'",
        "nickname must start with a letter or digit");
  }

  @Test
  void punctuation_inside_a_nick_gets_the_charset_reason() {
    assertThat(invalidReason("a.b"))
        .isEqualTo("nickname may contain only letters, digits, combining marks, '_' and '-'");
    assertThat(invalidReason("a@b"))
        .isEqualTo("nickname may contain only letters, digits, combining marks, '_' and '-'");
  }

  @Test
  void space_inside_a_nick_is_rejected() {
    assertThat(invalidReason("a b"))
        .isEqualTo("nickname contains a control, format, whitespace, private-use or unassigned character");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-a", "_a", "\u0301a", "\u093Eab", ".a", "😀"})
  void nick_must_start_with_a_letter_or_digit(String raw) {
    assertThat(invalidReason(raw)).isEqualTo("nickname must start with a letter or digit");
  }

  @Test
  void lone_surrogate_is_rejected_without_throwing() {
    assertThat(NicknameRules.check("a\uD83D")).isInstanceOf(NicknameCheck.Invalid.class);
    assertThat(NicknameRules.check("\uDE00a")).isInstanceOf(NicknameCheck.Invalid.class);
  }

  @Test
  void nick_made_only_of_invisible_letters_is_rejected() {
    // U+3164 HANGUL FILLER is a letter (Lo) but default-ignorable: a nickname of fillers shows as blank.
    assertThat(invalidReason("\u3164")).isEqualTo(INVISIBLE_CHARACTER);
    assertThat(invalidReason("\u3164\u3164")).isEqualTo(INVISIBLE_CHARACTER);
  }

  @Test
  void hangul_filler_carrying_an_accent_looks_blank_and_is_refused() {
    // It passed the old rule: the filler is a letter, so the display form started with one, and the key
    // (the filler folded away) was a lone combining acute.
    assertThat(invalidReason("\u3164\u0301")).isEqualTo(INVISIBLE_CHARACTER);
    assertThat(invalidReason("\uFFA0\u0301")).isEqualTo(INVISIBLE_CHARACTER);
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {
      "3164", "115F", "1160", "FFA0",          // Hangul fillers: letters, default-ignorable
      "034F",                                  // combining grapheme joiner
      "FE00", "FE0F", "E0100", "E01EF",        // variation selectors
      "180B", "180F",                          // Mongolian free variation selectors
      "17B4", "17B5",                          // Khmer inherent vowels
      "16FE4"                                  // Khitan small script filler: blank, not default-ignorable
  })
  void invisible_letters_and_marks_are_refused_anywhere(String hex) {
    String cp = new String(Character.toChars(Integer.parseInt(hex, 16)));
    assertThat(invalidReason("ab" + cp + "cd")).isEqualTo(INVISIBLE_CHARACTER);
    assertThat(invalidReason("abc" + cp)).isEqualTo(INVISIBLE_CHARACTER);
    assertThat(invalidReason(cp + "abc")).isEqualTo(INVISIBLE_CHARACTER);
  }

  @Test
  void an_invisible_letter_after_a_visible_one_is_refused() {
    // "a" + HANGUL FILLER shows as "a"; it used to be accepted (with the key of "a").
    assertThat(invalidReason("a\u3164")).isEqualTo(INVISIBLE_CHARACTER);
    assertThat(invalidReason("a\uFE0F")).isEqualTo(INVISIBLE_CHARACTER);
  }

  @Test
  void display_and_key_are_stable_under_a_second_check() {
    for (String raw : new String[] {"Ａｌｉｃｅ", "Straße", "\u212Aelvin", "नमस्ते", "e\u0301"}) {
      NicknameCheck.Valid first = valid(raw);
      NicknameCheck.Valid again = valid(first.display());
      assertThat(again).isEqualTo(first);
    }
  }
}
