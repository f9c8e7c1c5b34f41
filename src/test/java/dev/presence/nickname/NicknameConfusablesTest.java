package dev.presence.nickname;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Look-alike nicknames (UTS #39): which collide, which are refused, and the gaps the key leaves. */
class NicknameConfusablesTest {

  private static final String SCRIPTS =
      "nickname mixes scripts: use one script, or Latin with one other script except Cyrillic and Greek";

  private static NicknameCheck.Valid valid(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    assertThat(check).as("check(%s)", raw).isInstanceOf(NicknameCheck.Valid.class);
    return (NicknameCheck.Valid) check;
  }

  private static String invalidReason(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    assertThat(check).as("check(%s)", raw).isInstanceOf(NicknameCheck.Invalid.class);
    return ((NicknameCheck.Invalid) check).reason();
  }

  private static String key(String raw) {
    return valid(raw).key();
  }

  @Test
  void look_alikes_of_admin_share_its_key() {
    String admin = key("admin");
    // Case, width (fullwidth), "rn" for "m", a small L or a digit one for the I.
    for (String spoof : List.of("Admin", "ADMIN", "ａｄｍｉｎ", "adrnin", "ADMlN", "adm1n")) {
      assertThat(key(spoof)).as(spoof).isEqualTo(admin);
    }
  }

  @Test
  void a_cyrillic_a_cannot_pass_for_admin_twice_over() {
    // "аdmin" with a Cyrillic а (U+0430) mixes Cyrillic and Latin, so it is refused even while "admin" is
    // free; and were it not, its key would be that of "admin" (nick_taken).
    assertThat(invalidReason("\u0430dmin")).isEqualTo(SCRIPTS);
    assertThat(Confusables.key("\u0430dmin")).isEqualTo(key("admin"));
  }

  @Test
  void the_holder_keeps_the_spelling_it_typed() {
    assertThat(valid("adrnin").display()).isEqualTo("adrnin");
    assertThat(valid("ADMIN").display()).isEqualTo("ADMIN");
    assertThat(valid("ａｄｍｉｎ").display()).isEqualTo("admin");
    assertThat(valid("\u0455\u0441\u043E\u0440\u0435").display()).isEqualTo("\u0455\u0441\u043E\u0440\u0435");
  }

  @Test
  void case_variants_share_a_key_although_the_skeleton_treats_cases_differently() {
    // skeleton("admin") is "adrnin" but skeleton("ADMIN") is "ADMlN": the fold comes first for that reason.
    assertThat(key("ADMIN")).isEqualTo(key("admin")).isEqualTo(key("aDmIn"));
    assertThat(key("STRASSE")).isEqualTo(key("Straße"));
  }

  @Test
  void a_capital_i_cannot_pass_for_a_small_l() {
    assertThat(key("AIex")).isEqualTo(key("Alex"));
    assertThat(key("PauI")).isEqualTo(key("Paul"));
    assertThat(key("BiII")).isEqualTo(key("Bill"));
    assertThat(key("1ris")).isEqualTo(key("lris")).isEqualTo(key("Iris"));
  }

  @Test
  void digit_zero_and_letter_o_collide_in_either_case() {
    assertThat(key("0O")).isEqualTo(key("OO")).isEqualTo(key("oo")).isEqualTo(key("o0"));
    assertThat(key("agent007")).isEqualTo(key("AGENTOO7"));
  }

  @Test
  void whole_script_look_alikes_collide() {
    // Cyrillic р а у р а ӏ (palochka), Cyrillic ѕ с о р е, Greek capitals Ν Α Τ Ο: one script each.
    assertThat(key("\u0440\u0430\u0443\u0440\u0430\u04CF")).isEqualTo(key("paypal"));
    assertThat(key("\u0455\u0441\u043E\u0440\u0435")).isEqualTo(key("scope"));
    assertThat(key("\u039D\u0391\u03A4\u039F")).isEqualTo(key("NATO"));
  }

  @Test
  void rn_and_m_collide_by_design_even_between_real_names() {
    // UTS #39 lists "rn" as a look-alike of "m"; refusing the second of two such names is the accepted cost.
    assertThat(key("Arnold")).isEqualTo(key("Amold"));
    assertThat(key("Burns")).isEqualTo(key("Bums"));
    // i, l and 1 are one class: the holder of "Ali" may show it as "AlI", which looks like "All".
    assertThat(key("Ian")).isEqualTo(key("lan"));
    assertThat(key("Ali")).isEqualTo(key("All"));
  }

  @Test
  void distinct_real_names_stay_distinct() {
    List<String> names = List.of("Maria", "Mario", "Marta", "Mária", "Ivan", "Иван", "Jose", "José", "Zoe", "Zoë",
        "Nguyen", "Nguyễn", "Stefan", "Ştefan", "Kim", "Tim", "Tom", "Mila", "Nina", "Lina", "Anna", "Ana",
        "李雷", "李雲", "Алиса", "Алина", "नमस्ते", "สวัสดี", "علي", "محمد", "Γιώργος", "Νίκος", "김민준", "さくら", "サクラ");
    Map<String, List<String>> byKey = names.stream().collect(Collectors.groupingBy(
        NicknameConfusablesTest::key, Collectors.mapping(Function.identity(), Collectors.toList())));
    assertThat(byKey.values()).allSatisfy(group -> assertThat(group).hasSize(1));
  }

  @Test
  void the_known_gaps_are_letters_whose_capital_has_no_twin() {
    // Documented in Confusables: a small capital I (U+026A) and Armenian ռ (U+057C) pass for i and n.
    assertThat(key("M\u026Ake")).isNotEqualTo(key("Mike"));
    assertThat(key("Joh\u057C")).isNotEqualTo(key("John"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "B\u03C3b",          // Latin B, b with a Greek small sigma: its capital Σ has no Latin twin
      "\u039Aate",         // a Greek capital kappa before Latin letters
      "Ivan_Иван",         // one name in Latin and Cyrillic letters
      "Νίκος_Nikos",       // and in Greek and Latin
      "Иван\u039D",        // Cyrillic with Greek
      "محمدनमस्ते",         // Arabic with Devanagari: two scripts, neither Latin
      "abc\u13E3"          // Latin with Cherokee, whose letters look like Latin capitals
  })
  void confusable_script_mixtures_are_refused(String raw) {
    assertThat(invalidReason(raw)).isEqualTo(SCRIPTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "山田たろう",         // Han with Hiragana (Japanese)
      "ヤマダ太郎",         // Katakana with Han
      "Taro太郎",          // Latin with Han
      "김민준Kim",          // Hangul with Latin
      "Raj_राज",           // Latin with Devanagari
      "Somchai_สมชาย",     // Latin with Thai
      "Ali-علي",           // Latin with Arabic
      "abc123",            // digits go with any script
      "Иван1990",
      "\u0661\u0662\u0663abc" // Arabic-Indic digits with Latin
  })
  void script_mixtures_people_write_are_allowed(String raw) {
    assertThat(NicknameRules.check(raw)).as(raw).isInstanceOf(NicknameCheck.Valid.class);
  }
}
