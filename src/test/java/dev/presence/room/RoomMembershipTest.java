package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The meta's 1 KiB bound is in UTF-8 bytes, whatever the characters, at every edge the length shortcut has. */
class RoomMembershipTest {

  @Test
  void a_meta_of_at_most_1024_utf8_bytes_is_kept_and_one_byte_more_is_refused() {
    String ascii = "\"" + "a".repeat(1_022) + "\""; // 1,024 bytes
    String threeByte = "\u20ac".repeat(341); // 1,023 bytes in 341 chars, the shortcut's last sure fit
    String emoji = "\uD83D\uDE00".repeat(256); // 1,024 bytes in 512 chars (surrogate pairs: 4 bytes per 2 chars)

    for (String meta : new String[] {null, "{}", ascii, threeByte, threeByte + "a", emoji}) {
      assertThatCode(() -> new RoomMembership(1L, meta)).as("%s", meta == null ? null : meta.length())
          .doesNotThrowAnyException();
    }
    for (String meta : new String[] {ascii + "a", threeByte + "\u20ac", emoji + "a", "a".repeat(1_025),
        "\u20ac".repeat(342)}) {
      assertThatThrownBy(() -> new RoomMembership(1L, meta)).as("%s chars", meta.length())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 bytes");
    }
  }

  @Test
  void a_room_nickname_needs_its_display_form_and_its_key_together() {
    assertThatThrownBy(() -> new RoomMembership(1L, null, "Ann", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RoomMembership(1L, null, null, "ann")).isInstanceOf(IllegalArgumentException.class);
  }
}
