package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.presence.address.AddressBlock;
import dev.presence.address.ForwardedHeader;
import dev.presence.config.LimitSettings;
import dev.presence.config.ListenerSettings;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.ProxyHeaders;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real client addresses on real sockets. Node 0 sits behind a load balancer that speaks the PROXY protocol (this test
 * plays it, writing v1 text and v2 binary headers by hand before the upgrade) and trusts the ingress range
 * 10.0.0.0/8 to write {@code X-Forwarded-For}; node 1 takes plain connections and trusts the same range, so a client
 * on loopback is not a trusted proxy there. Both allow {@value #MAX_PER_IP} connections per address and close a
 * connection that stays idle for {@value #IDLE_MS} ms without becoming a session; their server pings come every
 * 3 s, slower than that, so a session survives a quiet spell only if the idle timeout really is lifted from it.
 */
class ClientAddressIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final int MAX_PER_IP = 2;
  static final long IDLE_MS = 1_000;
  static final int PROXIED = 0;
  static final int DIRECT = 1;
  static TestCluster cluster;

  private final List<RawWebSocketClient> open = new ArrayList<>();
  private static final AtomicInteger USERS = new AtomicInteger();

  @BeforeAll
  static void start() {
    AtomicInteger node = new AtomicInteger();
    ListenerSettings trustIngress = ListenerSettings.defaults().withHttpIdleTimeoutMs(IDLE_MS)
        .withTrustedProxies(List.of(AddressBlock.parse("10.0.0.0/8")), ForwardedHeader.X_FORWARDED_FOR);
    cluster = TestCluster.start(2, new TestCluster.Timings(3_000, 7_000, 10_000, 5_000), c -> c
        .with(c.auth(), new LimitSettings(MAX_PER_IP, 1_000, 1_000, 1_000, 1_000))
        .with(node.getAndIncrement() == PROXIED ? trustIngress.withProxyProtocol(true, IDLE_MS) : trustIngress));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void closeSessions() {
    open.forEach(RawWebSocketClient::close);
    open.clear();
  }

  @Test
  void two_clients_behind_one_balancer_are_limited_apart_and_three_over_the_limit_get_429() throws Exception {
    for (int i = 0; i < MAX_PER_IP; i++) {
      join(proxied(ProxyHeaders.v1("203.0.113.1", 40_000 + i, 8080), ""));
    }
    for (int i = 0; i < 3; i++) {
      int attempt = i;
      assertThatThrownBy(() -> proxied(ProxyHeaders.v1("203.0.113.1", 41_000 + attempt, 8080), ""))
          .hasMessageContaining("429");
    }
    // Same load balancer socket peer (127.0.0.1), another client: its own count.
    for (int i = 0; i < MAX_PER_IP; i++) {
      join(proxied(ProxyHeaders.v1("203.0.113.2", 42_000 + i, 8080), ""));
    }
    assertThat(metricsOfProxiedNode()).contains("presence_refusals_total{code=\"connection_limit\"");
  }

  @Test
  void v2_binary_headers_carry_ipv4_and_ipv6_sources_and_an_ipv6_64_is_one_client() throws Exception {
    join(proxied(ProxyHeaders.v2("198.51.100.20", 40_001, 8080), ""));
    join(proxied(ProxyHeaders.v2("198.51.100.20", 40_002, 8080), ""));
    assertThatThrownBy(() -> proxied(ProxyHeaders.v2("198.51.100.20", 40_003, 8080), ""))
        .hasMessageContaining("429");

    join(proxied(ProxyHeaders.v2("2001:db8:1:2::1", 40_004, 8080), ""));
    join(proxied(ProxyHeaders.v1("2001:db8:1:2:aaaa::2", 40_005, 8080), "")); // v1 TCP6 too
    assertThatThrownBy(() -> proxied(ProxyHeaders.v2("2001:db8:1:2:ffff::3", 40_006, 8080), ""))
        .as("a third address of the same /64").hasMessageContaining("429");
    join(proxied(ProxyHeaders.v2("2001:db8:1:3::1", 40_007, 8080), "")); // the next /64: another subscriber
  }

  @Test
  void a_malformed_proxy_header_closes_that_connection_only() throws Exception {
    RawWebSocketClient bystander = join(proxied(ProxyHeaders.v1("203.0.113.77", 40_010, 8080), ""));
    String upgrade = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    for (String bad : List.of("PROXY TCP4 999.0.0.1 127.0.0.1 1 2\r\n", "PROXY SOMETHING\r\n", "")) {
      try (Socket socket = rawSocket(cluster.port(PROXIED))) {
        socket.getOutputStream().write((bad + upgrade).getBytes(StandardCharsets.US_ASCII));
        assertThat(readUntilClosed(socket)).as("answer to '%s'", bad.strip()).isEmpty();
      }
    }
    bystander.sendText("{\"type\":\"ping\",\"seq\":7}");
    assertThat(bystander.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(7);
    join(proxied(ProxyHeaders.v1("203.0.113.78", 40_011, 8080), ""));
  }

  @Test
  void a_balancers_own_health_check_with_a_v2_local_header_is_served() throws Exception {
    // The public listener's health, as a balancer sees it: its pages answer (probes use the admin listener).
    try (Socket socket = rawSocket(cluster.port(PROXIED))) {
      socket.getOutputStream().write(ProxyHeaders.v2Local());
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void an_untrusted_client_forging_x_forwarded_for_is_counted_under_its_socket_address() throws Exception {
    join(direct("X-Forwarded-For: 192.0.2.1\r\n"));
    join(direct("X-Forwarded-For: 192.0.2.2\r\n"));
    assertThatThrownBy(() -> RawWebSocketClient.connect("127.0.0.1", cluster.port(DIRECT), "/ws", WAIT, new byte[0],
        "X-Forwarded-For: 192.0.2.3\r\n")).hasMessageContaining("429");
  }

  @Test
  void a_trusted_proxys_x_forwarded_for_names_the_client_and_an_unreadable_one_counts_the_proxy() throws Exception {
    byte[] fromIngress = ProxyHeaders.v1("10.0.0.5", 40_020, 8080);
    join(proxied(fromIngress, "X-Forwarded-For: 203.0.113.50\r\n"));
    join(proxied(fromIngress, "X-Forwarded-For: 198.51.100.99, 203.0.113.50\r\n"));
    assertThatThrownBy(() -> proxied(fromIngress, "X-Forwarded-For: 203.0.113.50\r\n")).hasMessageContaining("429");
    // The forged left-hand entry names nobody: 203.0.113.51 is counted, and has its own places.
    join(proxied(fromIngress, "X-Forwarded-For: 203.0.113.50, 203.0.113.51\r\n"));

    join(proxied(fromIngress, "X-Forwarded-For: unknown\r\n"));
    join(proxied(fromIngress, "X-Forwarded-For: unknown\r\n"));
    assertThatThrownBy(() -> proxied(fromIngress, "")).as("both were counted under the ingress, 10.0.0.5")
        .hasMessageContaining("429");
    assertThat(metricsOfProxiedNode()).contains("presence_forwarded_header_invalid_total 2.0");
  }

  @Test
  void a_connection_that_sends_nothing_or_half_a_request_is_closed_after_the_idle_timeout() throws Exception {
    assertClosedAfterIdleTimeout(cluster.port(DIRECT), "");
    assertClosedAfterIdleTimeout(cluster.port(DIRECT), "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: webso");
    // Behind the balancer: no PROXY header within its timeout, or a header and then nothing.
    assertClosedAfterIdleTimeout(cluster.port(PROXIED), "");
    assertClosedAfterIdleTimeout(cluster.port(PROXIED), new String(ProxyHeaders.v1("203.0.113.90", 1, 8080),
        StandardCharsets.US_ASCII) + "GET /ws HTTP/1.1\r\n");
  }

  @Test
  void a_quiet_session_outlives_the_idle_timeout_its_heartbeat_keeps_it() throws Exception {
    RawWebSocketClient direct = join(await().atMost(WAIT).ignoreExceptions().until(() -> direct(""), ws -> true));
    RawWebSocketClient proxied = join(proxied(ProxyHeaders.v2("203.0.113.91", 40_030, 8080), ""));
    // Four idle timeouts with nothing but the server's pings (every 3 s), answered by the client.
    assertThat(direct.isTcpClosedByPeer(Duration.ofMillis(4 * IDLE_MS))).isFalse();
    assertThat(proxied.isTcpClosedByPeer(Duration.ofMillis(IDLE_MS))).isFalse();
    for (RawWebSocketClient ws : List.of(direct, proxied)) {
      ws.sendText("{\"type\":\"ping\",\"seq\":3}");
      assertThat(ws.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(3);
    }
  }

  private RawWebSocketClient join(RawWebSocketClient ws) throws IOException {
    open.add(ws);
    String user = "client-" + USERS.incrementAndGet();
    ws.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
    assertThat(ws.awaitType("welcome", WAIT).getString("user")).isEqualTo(user);
    return ws;
  }

  private static RawWebSocketClient proxied(byte[] proxyHeader, String extraHeaders) throws IOException {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(PROXIED), "/ws", WAIT, proxyHeader, extraHeaders);
  }

  private static RawWebSocketClient direct(String extraHeaders) throws IOException {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(DIRECT), "/ws", WAIT, new byte[0], extraHeaders);
  }

  /** GET /metrics from the proxied node's admin listener, which takes no PROXY header (Prometheus asks it directly). */
  private static String metricsOfProxiedNode() {
    return PresenceHttp.metrics(cluster.adminPort(PROXIED));
  }

  private static Socket rawSocket(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  /** Reads until the server closes (FIN or RST); fails on the read timeout. */
  private static String readUntilClosed(Socket socket) throws IOException {
    StringBuilder received = new StringBuilder();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[1024];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        received.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + WAIT, e);
    } catch (SocketException reset) {
      // A reset closes it too.
    }
    return received.toString();
  }

  private static void assertClosedAfterIdleTimeout(int port, String sent) throws IOException {
    AtomicLong connected = new AtomicLong();
    try (Socket socket = rawSocket(port)) {
      connected.set(System.nanoTime());
      socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
      assertThat(readUntilClosed(socket)).as("nothing is answered to '%s'", sent).isEmpty();
      long afterMs = (System.nanoTime() - connected.get()) / 1_000_000;
      // Not before the timeout (generous lower bound for timer granularity), and well within WAIT.
      assertThat(afterMs).as("closed after (ms)").isGreaterThanOrEqualTo(IDLE_MS * 8 / 10);
    }
  }
}
