package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventBusBridgeTest {

  private static JsonObject frame(Object authorization) {
    return new JsonObject().put("type", "send").put("headers", new JsonObject().put("authorization", authorization));
  }

  @Test
  void the_token_comes_from_headers_authorization_bearer() {
    assertThat(EventBusBridge.bearerToken(frame("Bearer a.b.c"))).isEqualTo("a.b.c");
    assertThat(EventBusBridge.bearerToken(frame(" bearer   a.b.c "))).isEqualTo("a.b.c");
  }

  @Test
  void no_headers_another_scheme_or_an_empty_token_gives_none() {
    assertThat(EventBusBridge.bearerToken(new JsonObject().put("type", "send"))).isNull();
    assertThat(EventBusBridge.bearerToken(new JsonObject().put("headers", "Bearer x"))).isNull();
    assertThat(EventBusBridge.bearerToken(frame("Service secret"))).isNull();
    assertThat(EventBusBridge.bearerToken(frame("Bearer "))).isNull();
    assertThat(EventBusBridge.bearerToken(frame(42))).isNull();
    assertThat(EventBusBridge.bearerToken(null)).isNull();
  }
}
