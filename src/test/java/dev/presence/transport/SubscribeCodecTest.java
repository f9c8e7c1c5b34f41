package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.transport.ProtocolCodec.Decoded;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code subscribe} and {@code unsubscribe} decode, and every malformed subscribe is a bad_request. */
class SubscribeCodecTest {

  private static ClientMessage ok(String text) {
    Decoded decoded = ProtocolCodec.decode(text);
    assertThat(decoded).as("decode(%s)", text).isInstanceOf(Decoded.Ok.class);
    return ((Decoded.Ok) decoded).message();
  }

  @Test
  void a_subscription_to_users_names_each_user_once_in_the_order_given() {
    ClientMessage.Subscribe subscribe = (ClientMessage.Subscribe) ok(
        "{\"type\":\"subscribe\",\"users\":[\"bob\",\"alice\",\"bob\"]}");
    assertThat(subscribe.users()).containsExactly("bob", "alice");
  }

  @Test
  void a_subscription_to_all_has_no_user_list() {
    assertThat(ok("{\"type\":\"subscribe\",\"all\":true}")).isEqualTo(new ClientMessage.Subscribe(null));
    assertThat(ok("{\"type\":\"unsubscribe\"}")).isEqualTo(new ClientMessage.Unsubscribe());
  }

  @Test
  void a_room_watch_names_each_room_once_and_unsubscribe_may_name_one_room() {
    ClientMessage.WatchRooms watch = (ClientMessage.WatchRooms) ok(
        "{\"type\":\"subscribe\",\"rooms\":[\"#b\",\"team:a/1\",\"#b\"]}");
    assertThat(watch.rooms()).containsExactly("#b", "team:a/1");
    assertThat(ok("{\"type\":\"unsubscribe\",\"room\":\"#b\"}")).isEqualTo(new ClientMessage.Unwatch("#b"));
    assertThat(ok("{\"type\":\"subscribe\",\"rooms\":[\"#b\"],\"counts\":true}"))
        .isEqualTo(new ClientMessage.WatchRooms(java.util.Set.of("#b"), true, null));
    assertThat(ok("{\"type\":\"subscribe\",\"rooms\":[\"#b\"],\"users\":[\"alice\",\"alice\"]}"))
        .isEqualTo(new ClientMessage.WatchRooms(java.util.Set.of("#b"), false, java.util.Set.of("alice")));
  }

  @Test
  void a_thousand_users_are_accepted_and_one_more_is_refused() {
    JsonArray thousand = new JsonArray();
    IntStream.range(0, 1_000).forEach(i -> thousand.add("u" + i));
    assertThat(((ClientMessage.Subscribe) ok(new JsonObject().put("type", "subscribe").put("users", thousand)
        .encode())).users()).hasSize(1_000);
    thousand.add("one-too-many");
    Decoded over = ProtocolCodec.decode(new JsonObject().put("type", "subscribe").put("users", thousand).encode());
    assertThat(((Decoded.Invalid) over).code()).isEqualTo("bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"subscribe\"}",
      "{\"type\":\"subscribe\",\"users\":[]}",
      "{\"type\":\"subscribe\",\"users\":\"alice\"}",
      "{\"type\":\"subscribe\",\"users\":[\"alice\",42]}",
      "{\"type\":\"subscribe\",\"users\":[\"\"]}",
      "{\"type\":\"subscribe\",\"users\":[\"a\\u202Eb\"]}",
      "{\"type\":\"subscribe\",\"all\":false}",
      "{\"type\":\"subscribe\",\"all\":\"yes\"}",
      "{\"type\":\"subscribe\",\"all\":true,\"users\":[\"alice\"]}",
      "{\"type\":\"subscribe\",\"rooms\":[]}",
      "{\"type\":\"subscribe\",\"rooms\":\"#a\"}",
      "{\"type\":\"subscribe\",\"rooms\":[\"#a\",7]}",
      "{\"type\":\"subscribe\",\"rooms\":[\"bad room\"]}",
      "{\"type\":\"subscribe\",\"rooms\":[\"#a\"],\"all\":true}",
      "{\"type\":\"subscribe\",\"rooms\":[\"#a\"],\"users\":[]}",
      "{\"type\":\"subscribe\",\"rooms\":[\"#a\"],\"users\":[\"alice\"],\"counts\":true}",
      "{\"type\":\"subscribe\",\"rooms\":[\"#a\"],\"counts\":\"yes\"}",
      "{\"type\":\"subscribe\",\"users\":[\"alice\"],\"counts\":true}",
      "{\"type\":\"unsubscribe\",\"room\":\"bad room\"}",
      "{\"type\":\"unsubscribe\",\"room\":3}"})
  void a_malformed_subscribe_is_a_bad_request(String text) {
    Decoded decoded = ProtocolCodec.decode(text);
    assertThat(decoded).as("decode(%s)", text).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid) decoded).code()).isEqualTo("bad_request");
    assertThat(((Decoded.Invalid) decoded).message()).isNotBlank();
  }
}
