package dev.presence.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.presence.testing.RawWebSocketClient.CloseInfo;
import dev.presence.testing.RawWebSocketClient.ClosedByServer;
import dev.presence.testing.RawWebSocketClient.Frame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives {@link RawWebSocketClient} against a bare Vert.x echo server on 127.0.0.1 and an ephemeral port. */
@ExtendWith(VertxExtension.class)
class RawWebSocketClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private int port;
  // Filled on the event loop, read on the test thread.
  private final CompletableFuture<ServerWebSocket> serverSide = new CompletableFuture<>();
  private final CompletableFuture<Buffer> pongSeenByServer = new CompletableFuture<>();
  private final AtomicBoolean serverClosed = new AtomicBoolean();
  private final AtomicReference<Short> closeCodeSeenByServer = new AtomicReference<>();

  @BeforeEach
  void startEchoServer(Vertx vertx) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions().setMaxWebSocketFrameSize(131072).setMaxWebSocketMessageSize(131072);
    HttpServer server = vertx.createHttpServer(options)
        .webSocketHandshakeHandler(handshake -> {
          if (handshake.path().equals("/reject")) {
            handshake.reject(403);
          } else {
            handshake.accept();
          }
        })
        .webSocketHandler(ws -> {
          ws.textMessageHandler(ws::writeTextMessage);
          ws.binaryMessageHandler(ws::writeBinaryMessage);
          ws.pongHandler(pongSeenByServer::complete);
          ws.closeHandler(v -> {
            closeCodeSeenByServer.set(ws.closeStatusCode());
            serverClosed.set(true);
          });
          serverSide.complete(ws);
        })
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS); // test thread, not an event loop: blocking is allowed here
    port = server.actualPort();
  }

  private RawWebSocketClient connect() throws Exception {
    return RawWebSocketClient.connect("127.0.0.1", port, "/ws", TIMEOUT);
  }

  private ServerWebSocket serverSide() throws Exception {
    return serverSide.get(10, TimeUnit.SECONDS);
  }

  @Test
  void handshakeThenTextEcho() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.sendText("plain text");
      Frame frame = client.readFrame(TIMEOUT);
      assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.OP_TEXT);
      assertThat(frame.fin()).isTrue();
      assertThat(frame.text()).isEqualTo("plain text");

      client.sendText(new JsonObject().put("type", "hello").put("n", 1).encode());
      assertThat(client.readJson(TIMEOUT)).isEqualTo(new JsonObject().put("type", "hello").put("n", 1));

      client.sendText("{\"type\":\"noise\"}");
      client.sendText("{\"type\":\"wanted\",\"v\":42}");
      assertThat(client.awaitType("wanted", TIMEOUT).getInteger("v")).isEqualTo(42);
    }
  }

  @Test
  void rejectedUpgradeThrowsWithTheStatusLine() {
    assertThatThrownBy(() -> RawWebSocketClient.connect("127.0.0.1", port, "/reject", TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP/1.1 403");
  }

  @Test
  void serverPingIsAnsweredWithPongAutomatically() throws Exception {
    try (RawWebSocketClient client = connect()) {
      serverSide().writePing(Buffer.buffer("hb-1")).await(10, TimeUnit.SECONDS);
      client.sendText("{\"type\":\"after-ping\"}");
      // The PING is on the wire before the echo; reading the echo answers it on the way.
      assertThat(client.awaitType("after-ping", TIMEOUT)).isNotNull();
      assertThat(pongSeenByServer.get(10, TimeUnit.SECONDS).toString()).isEqualTo("hb-1");
    }
  }

  @Test
  void withAutoPongOffThePingIsVisibleAndUnanswered() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.autoPong(false);
      serverSide().writePing(Buffer.buffer("hb-2")).await(10, TimeUnit.SECONDS);
      client.sendText("{\"type\":\"after-ping\"}");
      Frame ping = client.readFrame(TIMEOUT);
      assertThat(ping.opcode()).isEqualTo(RawWebSocketClient.OP_PING);
      assertThat(ping.text()).isEqualTo("hb-2");
      assertThat(client.awaitType("after-ping", TIMEOUT)).isNotNull();
      // The server handles frames in order: once this echo is back, any PONG sent before it would have been seen.
      client.sendText("{\"type\":\"barrier\"}");
      assertThat(client.awaitType("barrier", TIMEOUT)).isNotNull();
      assertThat(pongSeenByServer).isNotDone();
    }
  }

  @Test
  void binaryRoundTripThenServerCloseFrame() throws Exception {
    try (RawWebSocketClient client = connect()) {
      byte[] data = {0, 1, 2, (byte) 0x80, (byte) 0xFF};
      client.sendBinary(data);
      Frame echo = client.readFrame(TIMEOUT);
      assertThat(echo.opcode()).isEqualTo(RawWebSocketClient.OP_BINARY);
      assertThat(echo.payload()).containsExactly(data);

      serverSide().close((short) 4000, "bye");
      CloseInfo close = client.awaitClose(TIMEOUT);
      assertThat(close).isEqualTo(new CloseInfo(4000, "bye", false));

      // Completing the closing handshake makes the server drop the TCP connection.
      client.sendClose(4000, "bye");
      assertThat(client.isTcpClosedByPeer(TIMEOUT)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(serverClosed::get);
    }
  }

  @Test
  void closeFrameWhileWaitingForJsonThrowsClosedByServer() throws Exception {
    try (RawWebSocketClient client = connect()) {
      serverSide().close((short) 4001, "kicked");
      assertThatThrownBy(() -> client.readJson(TIMEOUT))
          .isInstanceOfSatisfying(ClosedByServer.class, e -> {
            assertThat(e.code).isEqualTo(4001);
            assertThat(e.reason).isEqualTo("kicked");
          });
    }
  }

  @Test
  void clientCloseFrameIsEchoedByServer() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.sendClose(1000, "done");
      assertThat(client.awaitClose(TIMEOUT)).isEqualTo(new CloseInfo(1000, "done", false));
      assertThat(client.isTcpClosedByPeer(TIMEOUT)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(serverClosed::get);
      assertThat(closeCodeSeenByServer.get()).isEqualTo((short) 1000);
    }
  }

  @Test
  void resetAbruptlyFiresServerCloseHandlerWithoutCloseFrame() throws Exception {
    RawWebSocketClient client = connect();
    serverSide(); // the server has accepted the WebSocket
    client.resetAbruptly();
    await().atMost(Duration.ofSeconds(10)).until(serverClosed::get);
    // Vert.x reports 1006 (abnormal closure, RFC 6455 §7.1.5) when TCP ended without a close frame.
    assertThat(closeCodeSeenByServer.get()).isEqualTo((short) 1006);
  }

  @Test
  void readFrameTimesOutWithoutLosingTheStream() throws Exception {
    try (RawWebSocketClient client = connect()) {
      assertThatThrownBy(() -> client.readFrame(Duration.ofMillis(100)))
          .isInstanceOf(SocketTimeoutException.class);
      client.sendText("still usable");
      assertThat(client.readFrame(TIMEOUT).text()).isEqualTo("still usable");
    }
  }

  @Test
  void sixteenAndSixtyFourBitLengthFramesAreEchoed() throws Exception {
    try (RawWebSocketClient client = connect()) {
      for (int size : new int[] {125, 126, 1000, 65535, 65536, 70000}) {
        String text = pattern(size);
        client.sendText(text);
        Frame echo = client.readFrame(TIMEOUT);
        assertThat(echo.fin()).isTrue();
        assertThat(echo.payload()).hasSize(size);
        assertThat(echo.text()).isEqualTo(text);
      }
    }
  }

  @Test
  void fragmentedTextMessageIsReassembledByServer() throws Exception {
    try (RawWebSocketClient client = connect()) {
      client.sendFrame(RawWebSocketClient.OP_TEXT, "{\"type\":\"frag\",".getBytes(StandardCharsets.UTF_8), false);
      client.sendFrame(RawWebSocketClient.OP_CONTINUATION, "\"part\":".getBytes(StandardCharsets.UTF_8), false);
      client.sendFrame(RawWebSocketClient.OP_CONTINUATION, "2}".getBytes(StandardCharsets.UTF_8), true);
      assertThat(client.awaitType("frag", TIMEOUT).getInteger("part")).isEqualTo(2);
    }
  }

  /** ASCII digits and letters, so a masking or offset error changes the echoed text. */
  private static String pattern(int size) {
    StringBuilder sb = new StringBuilder(size);
    for (int i = 0; i < size; i++) {
      sb.append((char) ('0' + i % 43));
    }
    return sb.toString();
  }
}
