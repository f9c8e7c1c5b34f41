package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"#general", "team:42/design", "doc.7", "a", "Café_au-lait", "日本語", "x#y:z/w.v-u_t"})
  void names_of_letters_digits_and_the_six_punctuation_marks_are_rooms(String name) {
    assertThat(RoomNames.problem(name)).isNull();
  }

  @Test
  void an_empty_or_missing_name_is_refused() {
    assertThat(RoomNames.problem("")).isEqualTo("must not be empty");
    assertThat(RoomNames.problem(null)).isEqualTo("must not be empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"two words", "tab\there", "star*", "quote\"", "new\nline", "zero\u200Bwidth", "bell\u0007",
      "emoji\uD83D\uDE00"})
  void white_space_invisible_characters_the_grant_wildcard_and_symbols_are_refused(String name) {
    assertThat(RoomNames.problem(name)).startsWith("may hold only letters, digits and _ - . : / #");
  }

  @Test
  void the_refusal_names_the_offending_code_point() {
    assertThat(RoomNames.problem("a b")).endsWith("(found U+0020)");
  }

  @Test
  void a_lone_surrogate_is_refused() {
    assertThat(RoomNames.problem("a\uD800b")).contains("lone surrogate");
  }

  @Test
  void the_length_limit_counts_code_points_not_chars() {
    String supplementary = "\uD835\uDC00"; // MATHEMATICAL BOLD CAPITAL A: a letter, two chars
    assertThat(RoomNames.problem(supplementary.repeat(128))).isNull();
    assertThat(RoomNames.problem("a".repeat(128))).isNull();
    assertThat(RoomNames.problem("a".repeat(129))).isEqualTo("must be at most 128 code points");
  }
}
