package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Guards RFC 6455 §5.5: a close frame's reason fits in 123 bytes of UTF-8, cut on a character boundary. */
class CloseReasonTest {

  @Test
  void a_short_reason_is_kept() {
    assertThat(CloseReasons.fit("hello timeout")).isEqualTo("hello timeout");
  }

  @Test
  void a_long_reason_of_multibyte_characters_is_cut_to_123_bytes_without_splitting_a_character() {
    String fitted = CloseReasons.fit("😀".repeat(40)); // 160 bytes
    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    assertThat(fitted).isEqualTo("😀".repeat(30));
  }
}
