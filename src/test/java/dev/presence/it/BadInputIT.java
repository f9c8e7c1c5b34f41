package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.ErrorLogRecorder;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a precise error frame or close code, and only the offending connection pays: a bystander
 * session on the same node keeps its heartbeat answered and its presence entry throughout.
 */
class BadInputIT {

  static final Duration WAIT = Duration.ofSeconds(5);
  static TestCluster cluster;
  RawWebSocketClient bystander;
  String bystanderSession;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new TestCluster.Timings(10_000, 30_000, 60_000, 1_000));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void bystanderJoins() throws Exception {
    ErrorLogRecorder.clear();
    bystander = hello("bystander-" + System.nanoTime());
    bystanderSession = bystander.awaitType("welcome", WAIT).getString("session");
  }

  @AfterEach
  void bystanderIsUnaffected() throws Exception {
    bystander.sendText("{\"type\":\"ping\",\"seq\":7}");
    assertThat(bystander.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(7);
    assertThat(PresenceHttp.sessions(cluster.adminPort(0))).contains(bystanderSession);
    assertThat(cluster.uncaught()).isEmpty();
    assertThat(ErrorLogRecorder.errors()).isEmpty();
    bystander.close();
  }

  @Test
  void malformed_json_and_unknown_types_get_an_error_frame_and_the_session_goes_on() throws Exception {
    try (RawWebSocketClient client = hello("mallory")) {
      client.awaitType("welcome", WAIT);
      client.sendText("{\"type\":\"nick\", oops");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      client.sendText("[1,2,3]");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      client.sendText("{\"type\":\"teleport\"}");
      JsonObject unknown = client.awaitType("error", WAIT);
      assertThat(unknown.getString("code")).isEqualTo("unknown_type");
      assertThat(unknown.getString("message")).contains("teleport");
      client.sendText("{\"type\":\"nick\",\"nick\":42}");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      client.sendText("{\"type\":\"hello\",\"user\":\"again\"}");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      client.sendText("{\"type\":\"ping\",\"seq\":\"still-here\"}");
      assertThat(client.awaitType("pong", WAIT).getString("seq")).isEqualTo("still-here");
    }
  }

  @Test
  void a_message_over_the_size_limit_gets_too_large_and_close_1009() throws Exception {
    try (RawWebSocketClient client = hello("big")) {
      client.awaitType("welcome", WAIT);
      client.sendText("{\"type\":\"ping\",\"seq\":\"" + "x".repeat(5_000) + "\"}");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("too_large");
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
    }
    assertThat(PresenceHttp.metrics(cluster.adminPort(0))).contains("presence_refusals_total{code=\"too_large\"");
  }

  @Test
  void a_fragmented_message_that_grows_over_the_limit_is_closed_with_1009() throws Exception {
    try (RawWebSocketClient client = hello("fragments")) {
      client.awaitType("welcome", WAIT);
      byte[] chunk = "y".repeat(1_500).getBytes(StandardCharsets.UTF_8);
      client.sendFrame(RawWebSocketClient.OP_TEXT, chunk, false);
      client.sendFrame(RawWebSocketClient.OP_CONTINUATION, chunk, false);
      client.sendFrame(RawWebSocketClient.OP_CONTINUATION, chunk, false);
      client.sendFrame(RawWebSocketClient.OP_CONTINUATION, chunk, true);
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
    }
  }

  @Test
  void a_frame_over_the_hard_frame_cap_loses_its_connection() throws Exception {
    try (RawWebSocketClient client = hello("huge")) {
      client.awaitType("welcome", WAIT);
      client.sendFrame(RawWebSocketClient.OP_TEXT, new byte[70_000], true);
      RawWebSocketClient.CloseInfo close = client.awaitClose(WAIT);
      // Netty rejects the frame header before buffering it; a close frame 1009 may or may not precede it.
      assertThat(close.tcpClosedWithoutCloseFrame() || close.code() == 1009).isTrue();
    }
  }

  @Test
  void a_binary_message_is_closed_with_1003() throws Exception {
    try (RawWebSocketClient client = hello("binary")) {
      client.awaitType("welcome", WAIT);
      client.sendBinary(new byte[] {1, 2, 3});
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1003);
    }
  }

  @Test
  void invalid_utf8_in_a_text_frame_is_closed_with_1007() throws Exception {
    try (RawWebSocketClient client = hello("utf8")) {
      client.awaitType("welcome", WAIT);
      client.sendFrame(RawWebSocketClient.OP_TEXT, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true);
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1007);
    }
  }

  @Test
  void a_request_before_hello_gets_hello_required_and_close_1008() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.sendText("{\"type\":\"nick\",\"nick\":\"early\"}");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("hello_required");
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1008);
    }
  }

  @Test
  void a_malformed_hello_gets_bad_request_and_close_1008() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.sendText("{\"type\":\"hello\",\"user\":\"\"}");
      assertThat(client.awaitType("error", WAIT).getString("code")).isEqualTo("bad_request");
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1008);
    }
  }

  @Test
  void a_hello_whose_user_ends_with_a_space_is_told_so_and_closed_with_1008() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.sendText("{\"type\":\"hello\",\"user\":\"alice \"}");
      JsonObject error = client.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("bad_request");
      assertThat(error.getString("message")).isEqualTo("field 'user' must not begin or end with white space");
      assertThat(client.awaitClose(WAIT).code()).isEqualTo(1008);
    }
  }

  @Test
  void no_hello_within_the_hello_timeout_is_closed_with_1008() throws Exception {
    try (RawWebSocketClient client = connect()) {
      RawWebSocketClient.CloseInfo close = client.awaitClose(Duration.ofSeconds(4));
      assertThat(close.code()).isEqualTo(1008);
      assertThat(close.reason()).isEqualTo("hello timeout");
    }
    assertThat(PresenceHttp.metrics(cluster.adminPort(0))).contains("presence_refusals_total{code=\"hello_timeout\"");
  }

  @Test
  void an_upgrade_on_another_path_is_refused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/elsewhere", WAIT))
        .hasMessageContaining("404");
  }

  private static RawWebSocketClient connect() throws Exception {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
  }

  private static RawWebSocketClient hello(String user) throws Exception {
    RawWebSocketClient client = connect();
    client.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
    return client;
  }
}
