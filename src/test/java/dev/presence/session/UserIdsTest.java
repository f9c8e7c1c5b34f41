package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdsTest {

  private static String valid(String raw) {
    UserIds.Check check = UserIds.check(raw);
    assertThat(check).as("check(%s)", raw).isInstanceOf(UserIds.Valid.class);
    return ((UserIds.Valid) check).user();
  }

  private static String reason(String raw) {
    UserIds.Check check = UserIds.check(raw);
    assertThat(check).as("check(%s)", raw).isInstanceOf(UserIds.Invalid.class);
    return ((UserIds.Invalid) check).reason();
  }

  @Test
  void alice_and_alice_with_a_trailing_space_are_no_longer_two_users() {
    assertThat(valid("alice")).isEqualTo("alice");
    assertThat(reason("alice ")).isEqualTo("must not begin or end with white space");
    assertThat(reason(" alice")).isEqualTo("must not begin or end with white space");
    // Any White_Space, not only U+0020: no-break space, ideographic space, en quad.
    assertThat(reason("alice\u00A0")).isEqualTo("must not begin or end with white space");
    assertThat(reason("\u3000alice")).isEqualTo("must not begin or end with white space");
    assertThat(reason("alice\u2000")).isEqualTo("must not begin or end with white space");
  }

  @Test
  void canonically_equivalent_ids_are_one_user_in_nfc() {
    assertThat(valid("Jose\u0301")).isEqualTo("Jos\u00E9").isEqualTo(valid("Jos\u00E9"));
    // Hangul jamo compose to the syllable: 김 typed as three jamo is the user 김.
    assertThat(valid("\u1100\u1175\u11B7")).isEqualTo("\uAE40");
  }

  @Test
  void compatibility_forms_are_kept_apart() {
    // NFC, not NFKC: an identity provider may have given "ａｌｉｃｅ" and "alice" to two people.
    assertThat(valid("ａｌｉｃｅ")).isEqualTo("ａｌｉｃｅ").isNotEqualTo(valid("alice"));
    // Case is preserved (RFC 8265 UsernameCasePreserved): "Alice" and "alice" are two users, as before.
    assertThat(valid("Alice")).isNotEqualTo(valid("alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "auth0|5f7c8ec7c33c6c004bbafe82", "248289761001", "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
      "alice@example.com", "https://issuer.example/users/42", "CN=Jane Doe,OU=People,DC=example,DC=com",
      "Алиса", "李雷", "محمد", "नमस्ते", "😀"})
  void real_world_ids_are_valid_and_unchanged(String id) {
    assertThat(valid(id)).isEqualTo(id);
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {
      "0000", "0009", "000A", "007F", "0085",       // controls
      "200B", "200D", "2060", "FEFF", "00AD",       // zero-width, soft hyphen (format)
      "202E", "2066",                               // bidi override, isolate (format)
      "2028", "2029",                               // line and paragraph separators
      "D800", "DC00",                               // lone surrogates
      "3164", "115F", "FFA0", "FE0F", "034F",       // default-ignorable: Hangul fillers, selector, CGJ
      "FFFE", "FDD0"                                // noncharacters
  })
  void invisible_code_points_are_refused_anywhere(String hex) {
    String cp = new String(Character.toChars(Integer.parseInt(hex, 16)));
    String expected = "must not contain control, format (e.g. bidi override or zero-width), line separator or "
        + "other invisible characters";
    assertThat(reason("ali" + cp + "ce")).isEqualTo(expected);
    assertThat(reason("alice" + cp)).isEqualTo(expected);
    assertThat(reason(cp + "alice")).isEqualTo(expected);
  }

  @Test
  void spaces_inside_an_id_are_allowed() {
    assertThat(valid("Jane Doe")).isEqualTo("Jane Doe");
  }

  @Test
  void empty_blank_and_null_are_refused() {
    assertThat(reason(null)).isEqualTo("must not be empty");
    assertThat(reason("")).isEqualTo("must not be empty");
    assertThat(reason("   ")).isEqualTo("must not begin or end with white space");
  }

  @Test
  void the_length_limit_counts_utf16_units_after_nfc() {
    assertThat(valid("u".repeat(UserIds.MAX_LENGTH))).hasSize(UserIds.MAX_LENGTH);
    assertThat(reason("u".repeat(UserIds.MAX_LENGTH + 1))).isEqualTo("must be at most 128 characters");
    // 256 units that compose to 128: accepted, since the NFC form is what is kept.
    assertThat(valid("e\u0301".repeat(UserIds.MAX_LENGTH))).isEqualTo("\u00E9".repeat(UserIds.MAX_LENGTH));
    assertThat(reason("a".repeat(100_000))).isEqualTo("must be at most 128 characters");
  }
}
