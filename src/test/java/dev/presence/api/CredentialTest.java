package dev.presence.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.auth.Credential;
import org.junit.jupiter.api.Test;

class CredentialTest {

  @Test
  void the_scheme_is_case_insensitive_and_the_value_trimmed() {
    assertThat(Credential.parse("Service abc")).isEqualTo(new Credential.Service("abc"));
    assertThat(Credential.parse("bearer  x.y.z ")).isEqualTo(new Credential.Bearer("x.y.z"));
    assertThat(Credential.parse("BEARER t")).isEqualTo(new Credential.Bearer("t"));
  }

  @Test
  void anything_else_presents_nothing() {
    for (String header : new String[] {null, "", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "token"}) {
      assertThat(Credential.parse(header)).as(String.valueOf(header)).isEqualTo(new Credential.Missing());
    }
  }

  @Test
  void a_failure_message_splits_into_code_and_text() {
    PresenceApiException e = PresenceApiException.fromWire(403, "forbidden: only an admin may");
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.code()).isEqualTo("forbidden");
    assertThat(e.getMessage()).isEqualTo("forbidden: only an admin may");
    assertThat(PresenceApiException.fromWire(500, "boom").code()).isEqualTo("unknown");
    assertThat(ApiError.forbidden("no").wire()).isEqualTo("forbidden: no");
  }
}
