package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Guards RFC 6455 §5.4 (fragmentation) and §8.1 (invalid UTF-8 fails the connection with 1007). */
class TextMessageAssemblerTest {

  private final TextMessageAssembler assembler = new TextMessageAssembler(64);

  @Test
  void a_single_final_frame_is_one_message() {
    assertThat(assembler.text(utf8("{\"type\":\"ping\"}"), true))
        .isEqualTo(new TextMessageAssembler.Result.Message("{\"type\":\"ping\"}"));
  }

  @Test
  void a_character_split_across_two_frames_is_reassembled_not_rejected() {
    byte[] euro = utf8("a€b"); // € is 3 bytes: split it 1 + 2
    assertThat(assembler.text(Arrays.copyOfRange(euro, 0, 2), false))
        .isInstanceOf(TextMessageAssembler.Result.Partial.class);
    assertThat(assembler.continuation(Arrays.copyOfRange(euro, 2, euro.length), true))
        .isEqualTo(new TextMessageAssembler.Result.Message("a€b"));
  }

  @Test
  void invalid_utf8_is_a_1007_violation_and_the_next_message_starts_clean() {
    assertThat(assembler.text(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true))
        .isEqualTo(new TextMessageAssembler.Result.Violation(1007, "text message is not valid UTF-8"));
    assertThat(assembler.text(utf8("ok"), true)).isEqualTo(new TextMessageAssembler.Result.Message("ok"));
  }

  @Test
  void a_message_cut_in_the_middle_of_a_character_is_invalid_utf8() {
    byte[] euro = utf8("€");
    assertThat(assembler.text(Arrays.copyOfRange(euro, 0, 2), true))
        .isInstanceOf(TextMessageAssembler.Result.Violation.class)
        .extracting(r -> ((TextMessageAssembler.Result.Violation) r).closeCode()).isEqualTo(1007);
  }

  @Test
  void a_message_growing_over_the_limit_across_fragments_is_a_1009_violation() {
    assertThat(assembler.text(new byte[40], false)).isInstanceOf(TextMessageAssembler.Result.Partial.class);
    assertThat(assembler.continuation(new byte[40], true))
        .extracting(r -> ((TextMessageAssembler.Result.Violation) r).closeCode()).isEqualTo(1009);
  }

  @Test
  void a_continuation_without_a_started_message_is_a_1002_violation() {
    assertThat(assembler.continuation(utf8("x"), true))
        .extracting(r -> ((TextMessageAssembler.Result.Violation) r).closeCode()).isEqualTo(1002);
  }

  @Test
  void continuations_of_a_binary_message_are_not_taken_for_text() {
    assembler.binary(false);
    assertThat(assembler.continuation(new byte[] {(byte) 0xFF}, true))
        .isInstanceOf(TextMessageAssembler.Result.Partial.class);
    assertThat(assembler.text(utf8("after"), true)).isEqualTo(new TextMessageAssembler.Result.Message("after"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
