package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.auth.TokenMint;
import dev.presence.config.LimitSettings;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §4: a SockJS bridge socket is held to the rules of a {@code /ws} connection. Each test performs one
 * abuse on a real node requiring tokens, over the bridge's raw WebSocket transport: a socket that never shows
 * a token, one that outlives its token, a frame flood, more sockets than the per-IP limit, a socket opened on a
 * draining node, and the fallback transports and CDN script SockJS would otherwise offer.
 */
class EventBusBridgeLimitsIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int PER_IP = 3;
  private static final int BURST = 5;
  private static final int REFUSED_BEFORE_CLOSE = 3;

  private final List<RawWebSocketClient> sockets = new ArrayList<>();
  private TestCluster cluster;
  private Vertx vertx;

  private void startNode() {
    cluster = TestCluster.start(1, new TestCluster.Timings(10_000, 30_000, 60_000, 1_000),
        c -> c.with(Tokens.settings(), new LimitSettings(PER_IP, 100, 1, BURST, REFUSED_BEFORE_CLOSE)));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    sockets.forEach(RawWebSocketClient::close);
    if (vertx != null) {
      TestSession.await(vertx.close());
    }
    cluster.close();
  }

  @Test
  void a_socket_that_never_shows_a_valid_token_is_closed_after_the_hello_timeout() throws Exception {
    startNode();
    RawWebSocketClient silent = bridgeSocket();
    RawWebSocketClient forged = bridgeSocket();
    forged.sendText(register("presence.events", "not-a-token").encode());

    assertThat(silent.awaitClose(WAIT).code()).isEqualTo(1008);
    assertThat(forged.awaitClose(WAIT).code()).isEqualTo(1008);
  }

  @Test
  void a_socket_is_closed_when_the_token_it_showed_expires() throws Exception {
    startNode();
    RawWebSocketClient watcher = bridgeSocket();
    watcher.sendText(register("presence.events", token("ops", 3)).encode());

    RawWebSocketClient.CloseInfo closed = watcher.awaitClose(WAIT);
    assertThat(closed.code()).isEqualTo(4003);
  }

  @Test
  void a_frame_flood_is_refused_past_the_burst_and_then_closed_while_another_socket_goes_on() throws Exception {
    startNode();
    RawWebSocketClient flooder = bridgeSocket();
    RawWebSocketClient bystander = bridgeSocket();
    String token = token("mallory", 600);
    for (int i = 0; i < BURST + REFUSED_BEFORE_CLOSE; i++) {
      flooder.sendText(query("q-" + i, token).encode());
    }

    assertThat(flooder.awaitClose(WAIT).code()).isEqualTo(1008);
    bystander.sendText(query("b-1", token("ops", 600)).encode());
    JsonObject answer = nextMessage(bystander, WAIT);
    assertThat(answer.getString("type")).isEqualTo("rec");
    assertThat(answer.getString("address")).isEqualTo("b-1");
  }

  @Test
  void bridge_sockets_count_against_the_per_ip_limit_together_with_websocket_sessions() throws Exception {
    startNode();
    RawWebSocketClient session = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    sockets.add(session);
    for (int i = 1; i < PER_IP; i++) {
      bridgeSocket();
    }

    RawWebSocketClient over = bridgeSocket();
    assertThat(over.awaitClose(WAIT)).as("the socket over the limit is closed").isNotNull();

    sockets.get(1).close();
    Awaitility.await("a place is free again").atMost(WAIT).untilAsserted(() -> {
      RawWebSocketClient again = bridgeSocket();
      again.sendText(query("q-1", token("ops", 600)).encode());
      assertThat(nextMessage(again, Duration.ofSeconds(2)).getString("type")).isEqualTo("rec");
    });
  }

  @Test
  void a_draining_node_accepts_no_new_bridge_socket() throws Exception {
    startNode();
    cluster.node(0).health().startDraining();

    HttpClient http = vertx.createHttpClient();
    int info = TestSession.await(http.request(HttpMethod.GET, cluster.port(0), "127.0.0.1", "/eventbus/info")
        .compose(r -> r.send()).map(r -> r.statusCode()));

    assertThat(info).isEqualTo(503);
    assertThatThrownBy(this::bridgeSocket).hasMessageContaining("503");
  }

  @Test
  void only_the_websocket_transport_is_offered_and_the_iframe_page_loads_the_vendored_sockjs() {
    startNode();
    HttpClient http = vertx.createHttpClient();
    int port = cluster.port(0);

    String iframe = TestSession.await(http.request(HttpMethod.GET, port, "127.0.0.1", "/eventbus/iframe.html")
        .compose(r -> r.send()).compose(r -> r.body())).toString();
    int xhr = TestSession.await(http.request(HttpMethod.POST, port, "127.0.0.1", "/eventbus/000/abcdefgh/xhr")
        .compose(r -> r.send()).map(r -> r.statusCode()));
    int eventSource = TestSession.await(http.request(HttpMethod.GET, port, "127.0.0.1",
        "/eventbus/000/abcdefgh/eventsource").compose(r -> r.send()).map(r -> r.statusCode()));

    assertThat(iframe).contains("/vendor/sockjs-client/").doesNotContain("cdn");
    assertThat(xhr).as("xhr transport").isGreaterThanOrEqualTo(400);
    assertThat(eventSource).as("eventsource transport").isGreaterThanOrEqualTo(400);
  }

  private RawWebSocketClient bridgeSocket() throws IOException {
    RawWebSocketClient socket = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/eventbus/websocket",
        WAIT);
    sockets.add(socket);
    return socket;
  }

  /** The bridge's raw transport writes each message as a binary frame of UTF-8 JSON. */
  private static JsonObject nextMessage(RawWebSocketClient socket, Duration timeout) throws IOException {
    while (true) {
      RawWebSocketClient.Frame frame = socket.readFrame(timeout);
      if (frame.opcode() == RawWebSocketClient.OP_TEXT || frame.opcode() == RawWebSocketClient.OP_BINARY) {
        return new JsonObject(frame.text());
      }
    }
  }

  private static String token(String user, int ttlSeconds) {
    return TokenMint.mint(Tokens.SECRET, user, List.of("presence-admin"), ttlSeconds, Tokens.ISSUER,
        Tokens.AUDIENCE);
  }

  private static JsonObject register(String address, String token) {
    return new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("authorization", "Bearer " + token));
  }

  private static JsonObject query(String replyAddress, String token) {
    return new JsonObject().put("type", "send").put("address", "presence.query").put("replyAddress", replyAddress)
        .put("body", new JsonObject().put("by", "members"))
        .put("headers", new JsonObject().put("authorization", "Bearer " + token));
  }
}
