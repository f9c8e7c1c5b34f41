package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.presence.transport.ProtocolCodec.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guards the client protocol parser: every valid request decodes, and any other input is a clean error. */
class ProtocolCodecTest {

  private static ClientMessage ok(String text) {
    Decoded decoded = ProtocolCodec.decode(text);
    assertThat(decoded).as("decode(%s)", text).isInstanceOf(Decoded.Ok.class);
    return ((Decoded.Ok) decoded).message();
  }

  private static Decoded.Invalid invalid(String text) {
    Decoded decoded = ProtocolCodec.decode(text);
    assertThat(decoded).as("decode(%s)", text).isInstanceOf(Decoded.Invalid.class);
    return (Decoded.Invalid) decoded;
  }

  private static void assertBadRequest(String text) {
    Decoded.Invalid invalid = invalid(text);
    assertThat(invalid.code()).as("decode(%s)", text).isEqualTo("bad_request");
    assertThat(invalid.message()).as("decode(%s)", text).isNotBlank();
  }

  @Test
  void hello_with_a_nick_names_the_user_and_the_nick() {
    assertThat(ok("{\"type\":\"hello\",\"user\":\"ann\",\"nick\":\"Ann\"}"))
        .isEqualTo(new ClientMessage.Hello("ann", "Ann", null));
  }

  @Test
  void hello_without_a_nick_joins_without_one() {
    assertThat(ok("{\"type\":\"hello\",\"user\":\"ann\"}")).isEqualTo(new ClientMessage.Hello("ann", null, null));
    assertThat(ok("{\"type\":\"hello\",\"user\":\"ann\",\"nick\":null}"))
        .isEqualTo(new ClientMessage.Hello("ann", null, null));
  }

  @Test
  void hello_accepts_a_user_of_exactly_the_maximum_length() {
    String user = "u".repeat(dev.presence.session.UserIds.MAX_LENGTH);

    assertThat(ok("{\"type\":\"hello\",\"user\":\"" + user + "\"}")).isEqualTo(new ClientMessage.Hello(user, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"hello\",\"user\":\"\"}",
      "{\"type\":\"hello\",\"user\":\"   \"}",
      "{\"type\":\"hello\",\"user\":42}",
      "{\"type\":\"hello\",\"user\":[\"ann\"]}",
      "{\"type\":\"hello\",\"user\":\"ann\\u0000\"}",
      "{\"type\":\"hello\",\"user\":\"ann\\nbob\"}",
      "{\"type\":\"hello\",\"user\":\"ann\\u007f\"}",
      "{\"type\":\"hello\",\"user\":\"ann\\u0085\"}",
  })
  void hello_without_a_usable_user_is_a_bad_request(String text) {
    assertBadRequest(text);
  }

  @Test
  void hello_normalizes_the_user_to_nfc() {
    assertThat(ok("{\"type\":\"hello\",\"user\":\"Jose\\u0301\"}"))
        .isEqualTo(new ClientMessage.Hello("Jos\u00E9", null, null));
  }

  @Test
  void hello_with_a_user_that_begins_or_ends_with_white_space_says_so() {
    assertThat(invalid("{\"type\":\"hello\",\"user\":\"alice \"}").message())
        .isEqualTo("field 'user' must not begin or end with white space");
    assertThat(invalid("{\"type\":\"hello\",\"user\":\"\\u3000alice\"}").message())
        .isEqualTo("field 'user' must not begin or end with white space");
    assertThat(invalid("{\"type\":\"hello\",\"user\":42}").message())
        .isEqualTo("field 'user' must be a string (a user id)");
  }

  @Test
  void subscribe_normalizes_and_checks_each_user() {
    assertThat(ok("{\"type\":\"subscribe\",\"users\":[\"Jose\\u0301\",\"Jos\\u00e9\",\"bob\"]}"))
        .isEqualTo(new ClientMessage.Subscribe(java.util.Set.of("Jos\u00E9", "bob")));
    assertThat(invalid("{\"type\":\"subscribe\",\"users\":[\"bob\",\"alice \"]}").message())
        .isEqualTo("every entry of 'users' must not begin or end with white space");
  }

  @Test
  void hello_may_carry_a_token_instead_of_a_user() {
    // Whether a user is then required is the connection's decision (development mode needs one).
    assertThat(ok("{\"type\":\"hello\",\"token\":\"t.k.n\"}")).isEqualTo(new ClientMessage.Hello(null, null, "t.k.n"));
    assertThat(ok("{\"type\":\"hello\"}")).isEqualTo(new ClientMessage.Hello(null, null, null));
    assertBadRequest("{\"type\":\"hello\",\"token\":7}");
  }

  @Test
  void refresh_requires_a_string_token() {
    assertThat(ok("{\"type\":\"refresh\",\"token\":\"t.k.n\"}")).isEqualTo(new ClientMessage.Refresh("t.k.n"));
    assertBadRequest("{\"type\":\"refresh\"}");
    assertBadRequest("{\"type\":\"refresh\",\"token\":null}");
  }

  @Test
  void hello_with_a_user_one_character_too_long_is_a_bad_request() {
    String user = "u".repeat(dev.presence.session.UserIds.MAX_LENGTH + 1);

    assertBadRequest("{\"type\":\"hello\",\"user\":\"" + user + "\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", "[\"Ann\"]", "{\"n\":\"Ann\"}"})
  void hello_with_a_nick_that_is_not_a_string_is_a_bad_request(String nick) {
    assertBadRequest("{\"type\":\"hello\",\"user\":\"ann\",\"nick\":" + nick + "}");
  }

  @Test
  void ping_echoes_whatever_seq_it_carries() {
    assertThat(ok("{\"type\":\"ping\",\"seq\":7}")).isEqualTo(new ClientMessage.Ping(7));
    assertThat(ok("{\"type\":\"ping\",\"seq\":\"a-7\"}")).isEqualTo(new ClientMessage.Ping("a-7"));
    assertThat(ok("{\"type\":\"ping\"}")).isEqualTo(new ClientMessage.Ping(null));
  }

  @Test
  void nick_request_carries_the_wanted_nick() {
    assertThat(ok("{\"type\":\"nick\",\"nick\":\"Ann\"}")).isEqualTo(new ClientMessage.Nick("Ann"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"nick\"}",
      "{\"type\":\"nick\",\"nick\":null}",
      "{\"type\":\"nick\",\"nick\":5}",
  })
  void nick_request_without_a_string_nick_is_a_bad_request(String text) {
    assertBadRequest(text);
  }

  @Test
  void release_who_and_bye_need_nothing_but_their_type() {
    assertThat(ok("{\"type\":\"release\"}")).isEqualTo(new ClientMessage.Release());
    assertThat(ok("{\"type\":\"who\"}")).isEqualTo(new ClientMessage.Who());
    assertThat(ok("{\"type\":\"bye\"}")).isEqualTo(new ClientMessage.Bye());
    assertThat(ok("{\"type\":\"bye\",\"extra\":[1,2,3]}")).isEqualTo(new ClientMessage.Bye());
  }

  @Test
  void unknown_type_is_reported_as_such_quoting_the_type() {
    Decoded.Invalid invalid = invalid("{\"type\":\"dance\"}");

    assertThat(invalid.code()).isEqualTo("unknown_type");
    assertThat(invalid.message()).contains("'dance'");
  }

  @Test
  void types_are_case_sensitive() {
    assertThat(invalid("{\"type\":\"HELLO\",\"user\":\"ann\"}").code()).isEqualTo("unknown_type");
  }

  @Test
  void long_unknown_type_is_abbreviated_in_the_error() {
    String first32 = "x".repeat(32);
    String type = first32 + "z".repeat(10_000);

    Decoded.Invalid invalid = invalid("{\"type\":\"" + type + "\"}");

    assertThat(invalid.code()).isEqualTo("unknown_type");
    assertThat(invalid.message()).contains("'" + first32 + "...'").doesNotContain("z").hasSizeLessThan(100);
    assertThat(invalid("{\"type\":\"" + first32 + "\"}").message()).contains("'" + first32 + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"hello\",\"user\":",
      "{type:hello}",
      "[1]",
      "\"x\"",
      "",
      "   ",
      "null",
      "42",
      "true",
      "{}",
      "{\"user\":\"ann\"}",
      "{\"type\":null}",
      "{\"type\":7}",
      "{\"type\":[\"hello\"]}",
      "{\"type\":{\"name\":\"hello\"}}",
      "{\"type\":\"bye\"} {\"type\":\"bye\"}",
      "{\"type\":\"bye\"}]",
  })
  void anything_but_a_json_object_with_a_string_type_is_a_bad_request(String text) {
    assertBadRequest(text);
  }

  @Test
  void decode_never_throws_whatever_arrives() {
    Random random = new Random(20_240_601L);
    List<String> inputs = new ArrayList<>();
    List<String> valid = List.of(
        "{\"type\":\"hello\",\"user\":\"ann\",\"nick\":\"Ann\"}",
        "{\"type\":\"ping\",\"seq\":12345}",
        "{\"type\":\"nick\",\"nick\":\"Bob\"}",
        "{\"type\":\"who\"}");
    for (int i = 0; i < 2_000; i++) {
      inputs.add(switch (i % 4) {
        case 0 -> randomBytesAsUtf8(random);
        case 1 -> randomChars(random);
        case 2 -> truncated(valid.get(random.nextInt(valid.size())), random);
        default -> mutated(valid.get(random.nextInt(valid.size())), random);
      });
    }
    inputs.add("[".repeat(5_000));
    inputs.add("{\"a\":".repeat(5_000));
    inputs.add("{\"type\":\"ping\",\"seq\":" + "9".repeat(5_000) + "}");
    inputs.add("{\"type\":\"ping\",\"seq\":1e999999}");
    inputs.add("{\"type\":\"\\ud800\"}");

    for (String input : inputs) {
      assertThatCode(() -> {
        Decoded decoded = ProtocolCodec.decode(input);
        assertThat(decoded).isNotNull();
        if (decoded instanceof Decoded.Invalid invalid) {
          assertThat(invalid.code()).isIn("bad_request", "unknown_type");
        }
      }).as("decode(%s)", input).doesNotThrowAnyException();
    }
  }

  @Test
  void null_input_is_a_bad_request_not_an_exception() {
    assertThat(ProtocolCodec.decode(null)).isInstanceOf(Decoded.Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ann\u202Egnp.exe", "a\u2028b", "zero\u200Bwidth"})
  void a_user_with_bidi_overrides_zero_width_or_line_separators_is_refused(String user) {
    assertBadRequest(new io.vertx.core.json.JsonObject().put("type", "hello").put("user", user).encode());
  }

  @Test
  void an_abbreviated_unknown_type_never_ends_in_half_an_emoji() {
    String message = invalid("{\"type\":\"" + "x".repeat(31) + "\uD83D\uDE00tail\"}").message();
    assertThat(message).contains("\uD83D\uDE00...");
  }

  private static String randomBytesAsUtf8(Random random) {
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String randomChars(Random random) {
    String alphabet = "{}[]\":,\\ tnulfrae0123456789.-+eE\u0000\u00e9\ud83d\ude00typehellouserpingseq";
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(80);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static String truncated(String valid, Random random) {
    return valid.substring(0, random.nextInt(valid.length()));
  }

  private static String mutated(String valid, Random random) {
    char[] chars = valid.toCharArray();
    chars[random.nextInt(chars.length)] = (char) random.nextInt(0x10000);
    return new String(chars);
  }

  @Test
  void join_names_a_room_with_optional_meta_and_watch_defaulting_to_true() {
    assertThat(ok("{\"type\":\"join\",\"room\":\"#general\"}"))
        .isEqualTo(new ClientMessage.Join("#general", null, true, null));
    assertThat(ok("{\"type\":\"join\",\"room\":\"team:1/dev\",\"meta\":{\"a\":1},\"watch\":false,\"nick\":\"Al\"}"))
        .isEqualTo(new ClientMessage.Join("team:1/dev", "{\"a\":1}", false, "Al"));
    assertThat(ok("{\"type\":\"nick\",\"nick\":\"Al\",\"room\":\"#general\"}"))
        .isEqualTo(new ClientMessage.RoomNick("Al", "#general"));
    assertThat(ok("{\"type\":\"nick\",\"nick\":\"Al\"}")).isEqualTo(new ClientMessage.Nick("Al"));
    assertThat(ok("{\"type\":\"leave\",\"room\":\"#general\"}")).isEqualTo(new ClientMessage.Leave("#general"));
  }

  @Test
  void join_and_leave_refuse_what_is_not_a_room_name_saying_why() {
    assertThat(invalid("{\"type\":\"join\"}").message()).isEqualTo("field 'room' (string) is required");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"\"}").message()).isEqualTo("field 'room' must not be empty");
    assertThat(invalid("{\"type\":\"leave\",\"room\":\"a*\"}").message())
        .isEqualTo("field 'room' may hold only letters, digits and _ - . : / # (found U+002A)");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"" + "r".repeat(129) + "\"}").message())
        .isEqualTo("field 'room' must be at most 128 code points");
  }

  @Test
  void join_refuses_a_nick_that_is_no_string_a_meta_that_is_no_object_or_too_large_and_a_watch_that_is_no_boolean() {
    assertThat(invalid("{\"type\":\"join\",\"room\":\"r\",\"nick\":7}").message())
        .isEqualTo("field 'nick' must be a string when present");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"r\",\"token\":\"\"}").message())
        .startsWith("field 'token' must be a room token");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"r\",\"token\":\"" + "t".repeat(8_193) + "\"}").code())
        .isEqualTo("bad_request");
    assertThat(ok("{\"type\":\"join\",\"room\":\"r\",\"token\":\"a.b.c\"}"))
        .isEqualTo(new ClientMessage.Join("r", null, true, null, "a.b.c"));
    assertThat(invalid("{\"type\":\"nick\",\"nick\":\"N\",\"room\":\"a b\"}").code()).isEqualTo("bad_request");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"r\",\"meta\":\"x\"}").message())
        .isEqualTo("field 'meta' must be a JSON object when present");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"r\",\"meta\":{\"a\":\"" + "x".repeat(1_100) + "\"}}")
        .message()).isEqualTo("field 'meta' is larger than 1024 bytes");
    assertThat(invalid("{\"type\":\"join\",\"room\":\"r\",\"watch\":1}").message())
        .isEqualTo("field 'watch' must be a boolean when present");
  }
}
