package dev.presence.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryRequestTest {

  private static QueryRequest ok(JsonObject body) {
    Parsed<QueryRequest> parsed = QueryRequest.parse(body);
    assertThat(parsed).as(body.encode()).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok<QueryRequest>) parsed).request();
  }

  private static String invalid(Object body) {
    Parsed<QueryRequest> parsed = QueryRequest.parse(body);
    assertThat(parsed).as(String.valueOf(body)).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid<QueryRequest>) parsed).message();
  }

  @Test
  void all_defaults_to_a_first_page_of_100_like_the_http_api() {
    assertThat(ok(new JsonObject().put("by", "all"))).isEqualTo(new QueryRequest.All(100, null));
    assertThat(ok(new JsonObject().put("by", "all").put("limit", 1000).put("after", "s-1")))
        .isEqualTo(new QueryRequest.All(1000, "s-1"));
    assertThat(ok(new JsonObject().put("by", "all").put("limit", 5.0).putNull("after")))
        .isEqualTo(new QueryRequest.All(5, null));
  }

  @Test
  void a_limit_outside_1_to_1000_or_not_whole_or_not_a_number_is_refused() {
    for (Object limit : List.of(0, 1001, -1, 2.5, "10", Long.MAX_VALUE)) {
      assertThat(invalid(new JsonObject().put("by", "all").put("limit", limit)))
          .isEqualTo("limit must be a whole number within 1..1000");
    }
    assertThat(invalid(new JsonObject().put("by", "all").put("after", 7))).contains("'after'");
  }

  @Test
  void each_lookup_names_its_field() {
    assertThat(ok(new JsonObject().put("by", "user").put("user", "alice"))).isEqualTo(new QueryRequest.ByUser("alice"));
    assertThat(ok(new JsonObject().put("by", "node").put("node", "n-1"))).isEqualTo(new QueryRequest.ByNode("n-1"));
    assertThat(ok(new JsonObject().put("by", "session").put("session", "s")))
        .isEqualTo(new QueryRequest.BySession("s"));
    assertThat(ok(new JsonObject().put("by", "nick").put("nick", "Alice"))).isEqualTo(new QueryRequest.ByNick("Alice"));
    assertThat(ok(new JsonObject().put("by", "members"))).isEqualTo(new QueryRequest.Members());
  }

  @Test
  void a_user_is_looked_up_in_nfc_like_every_stored_user_id() {
    assertThat(ok(new JsonObject().put("by", "user").put("user", "Jose\u0301")))
        .isEqualTo(new QueryRequest.ByUser("Jos\u00E9"));
  }

  @Test
  void a_missing_blank_non_string_or_huge_field_is_refused() {
    assertThat(invalid(new JsonObject().put("by", "user"))).isEqualTo("field 'user' (non-blank string) is required");
    assertThat(invalid(new JsonObject().put("by", "node").put("node", " "))).contains("'node'");
    assertThat(invalid(new JsonObject().put("by", "session").put("session", 42))).contains("'session'");
    assertThat(invalid(new JsonObject().put("by", "nick").put("nick", "x".repeat(1025)))).contains("exceeds");
  }

  @Test
  void a_body_that_is_not_an_object_or_names_no_known_form_is_refused() {
    assertThat(invalid("{\"by\":\"all\"}")).isEqualTo("the body must be a JSON object");
    assertThat(invalid(null)).isEqualTo("the body must be a JSON object");
    assertThat(invalid(new JsonObject())).contains("'by'");
    assertThat(invalid(new JsonObject().put("by", "ALL"))).startsWith("unknown 'by'");
  }

  @Test
  void members_lists_nodes_without_sessions_with_zero_and_ignores_non_members() {
    JsonObject json = QueryHandler.membersJson(List.of("a", "b"), Map.of("a", 3L, "gone", 9L));
    assertThat(json).isEqualTo(new JsonObject().put("members", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("node", "a").put("sessions", 3L))
        .add(new JsonObject().put("node", "b").put("sessions", 0L))));
  }
}
