package dev.presence.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.auth.Revocation;
import dev.presence.config.AuthSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class KickRequestTest {

  /** The default {@code PRESENCE_MAX_REVOCATION_MS}: 7 days. */
  private static final long MAX = AuthSettings.DEFAULT_MAX_REVOCATION_MS;

  private static KickRequest ok(JsonObject body) {
    Parsed<KickRequest> parsed = KickRequest.parse(body, MAX);
    assertThat(parsed).as(body.encode()).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok<KickRequest>) parsed).request();
  }

  private static String invalid(Object body) {
    Parsed<KickRequest> parsed = KickRequest.parse(body, MAX);
    assertThat(parsed).as(String.valueOf(body)).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid<KickRequest>) parsed).message();
  }

  @Test
  void a_kick_names_one_session_user_or_nickname_with_an_optional_reason() {
    assertThat(ok(new JsonObject().put("session", "s-1")))
        .isEqualTo(new KickRequest(KickRequest.Target.SESSION, "s-1", null, 0));
    assertThat(ok(new JsonObject().put("user", "alice").put("reason", "spam")))
        .isEqualTo(new KickRequest(KickRequest.Target.USER, "alice", "spam", 0));
    assertThat(ok(new JsonObject().put("nick", "Alice").putNull("reason")))
        .isEqualTo(new KickRequest(KickRequest.Target.NICK, "Alice", null, 0));
  }

  @Test
  void a_user_is_named_in_nfc_like_every_stored_user_id() {
    // "José" with a combining acute names the user whose hello (or token) said "José" precomposed.
    assertThat(ok(new JsonObject().put("user", "Jose\u0301")))
        .isEqualTo(new KickRequest(KickRequest.Target.USER, "Jos\u00E9", null, 0));
    // Sessions and nicknames are not user ids: left as sent (a nickname is normalized by its own rule).
    assertThat(ok(new JsonObject().put("nick", "Jose\u0301")))
        .isEqualTo(new KickRequest(KickRequest.Target.NICK, "Jose\u0301", null, 0));
  }

  @Test
  void naming_none_or_two_targets_is_refused() {
    assertThat(invalid(new JsonObject())).isEqualTo("name exactly one of 'session', 'user', 'nick' or 'jti'");
    assertThat(invalid(new JsonObject().put("session", "s").put("user", "u")))
        .isEqualTo("name exactly one of 'session', 'user', 'nick' or 'jti'");
    assertThat(invalid(new JsonObject().put("user", 5))).contains("'user'");
    assertThat(invalid(new JsonObject().put("nick", ""))).contains("'nick'");
    assertThat(invalid("not json")).isEqualTo("the body must be a JSON object");
  }

  @Test
  void a_reason_is_at_most_100_code_points_of_printable_text() {
    String hundredEmoji = "\uD83D\uDE00".repeat(100); // 200 UTF-16 units, 100 code points
    assertThat(ok(new JsonObject().put("session", "s").put("reason", hundredEmoji)).reason()).isEqualTo(hundredEmoji);
    assertThat(invalid(new JsonObject().put("session", "s").put("reason", "x".repeat(101)))).contains("100");
    assertThat(invalid(new JsonObject().put("session", "s").put("reason", "a\nb"))).contains("control");
    assertThat(invalid(new JsonObject().put("session", "s").put("reason", 3))).contains("string");
  }

  @Test
  void a_user_or_a_jti_may_be_revoked_for_1_ms_to_7_days() {
    assertThat(ok(new JsonObject().put("user", "mallory").put("revokeForMs", 60_000)))
        .isEqualTo(new KickRequest(KickRequest.Target.USER, "mallory", null, 60_000));
    KickRequest byToken = ok(new JsonObject().put("jti", "t-1").put("revokeForMs", MAX));
    assertThat(byToken.revocation(1_000))
        .isEqualTo(new Revocation(Revocation.Kind.JTI, "t-1", 1_000 + MAX));
    assertThat(ok(new JsonObject().put("user", "alice")).revocation(1_000)).isNull();
  }

  @Test
  void a_revocation_outside_its_bounds_or_of_a_session_or_nickname_is_refused() {
    assertThat(invalid(new JsonObject().put("user", "u").put("revokeForMs", 0))).contains("'revokeForMs'");
    assertThat(invalid(new JsonObject().put("user", "u").put("revokeForMs", MAX + 1)))
        .contains("'revokeForMs'");
    assertThat(invalid(new JsonObject().put("user", "u").put("revokeForMs", 1.5))).contains("whole number");
    assertThat(invalid(new JsonObject().put("user", "u").put("revokeForMs", "60000"))).contains("'revokeForMs'");
    assertThat(invalid(new JsonObject().put("session", "s").put("revokeForMs", 60_000)))
        .contains("needs 'user' or 'jti'");
    assertThat(invalid(new JsonObject().put("nick", "Al").put("revokeForMs", 60_000)))
        .contains("needs 'user' or 'jti'");
    assertThat(invalid(new JsonObject().put("jti", "t-1"))).contains("needs 'revokeForMs'");
  }

  @Test
  void the_longest_revocation_is_the_configured_one() {
    JsonObject hour = new JsonObject().put("user", "u").put("revokeForMs", 3_600_001);
    Parsed<KickRequest> parsed = KickRequest.parse(hour, 3_600_000);
    assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
    assertThat(((Parsed.Invalid<KickRequest>) parsed).message()).contains("from 1 to 3600000")
        .contains("PRESENCE_MAX_REVOCATION_MS");
    assertThat(KickRequest.parse(hour.put("revokeForMs", 3_600_000), 3_600_000)).isInstanceOf(Parsed.Ok.class);
  }

  @Test
  void a_room_kick_names_a_session_or_a_user_and_a_valid_room() {
    assertThat(ok(new JsonObject().put("room", "#general").put("session", "s-1")))
        .isEqualTo(new KickRequest(KickRequest.Target.SESSION, "s-1", null, 0, "#general"));
    KickRequest byUser = ok(new JsonObject().put("room", "team:7/design").put("user", "Jose\u0301")
        .put("reason", "off topic"));
    assertThat(byUser).isEqualTo(new KickRequest(KickRequest.Target.USER, "Jos\u00E9", "off topic", 0,
        "team:7/design"));
    assertThat(byUser.fromRoom()).isTrue();
    assertThat(ok(new JsonObject().put("user", "alice").putNull("room")).fromRoom())
        .as("a null room is no room: the kick closes the sessions").isFalse();
  }

  @Test
  void a_room_kick_with_an_invalid_room_a_nick_a_jti_or_a_revocation_is_refused() {
    assertThat(invalid(new JsonObject().put("room", "two words").put("user", "u")))
        .startsWith("field 'room' may hold only letters, digits");
    assertThat(invalid(new JsonObject().put("room", "").put("user", "u"))).isEqualTo("field 'room' must not be empty");
    assertThat(invalid(new JsonObject().put("room", "r".repeat(129)).put("session", "s")))
        .contains("at most 128 code points");
    assertThat(invalid(new JsonObject().put("room", 7).put("session", "s"))).isEqualTo("field 'room' must be a string");
    assertThat(invalid(new JsonObject().put("room", "#r").put("nick", "Al"))).contains("needs 'session' or 'user'");
    assertThat(invalid(new JsonObject().put("room", "#r").put("jti", "t-1").put("revokeForMs", 60_000)))
        .contains("needs 'session' or 'user'");
    assertThat(invalid(new JsonObject().put("room", "#r").put("user", "u").put("revokeForMs", 60_000)))
        .contains("'revokeForMs' does not go with 'room'");
    assertThat(invalid(new JsonObject().put("room", "#r"))).as("a room alone names nobody")
        .isEqualTo("name exactly one of 'session', 'user', 'nick' or 'jti'");
  }
}
