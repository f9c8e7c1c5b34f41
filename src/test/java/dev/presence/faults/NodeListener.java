package dev.presence.faults;

import dev.presence.testing.BridgeClient;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TlsFiles;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How the harness reaches the nodes' public listener on 127.0.0.1: plain ({@code ws://}), or TLS ({@code wss://})
 * with the pair the nodes serve, generated for the run and trusted by every harness client; and their admin
 * listener (plain HTTP) for reads. Immutable; thread-safe. Blocking methods are for harness threads, never an event loop.
 */
public final class NodeListener {

  /** Plain text: how the nodes run in every scenario but the TLS ones. */
  public static final NodeListener PLAIN = new NodeListener(null);

  /** Host name the clients use with TLS: the name in the generated certificate, so host checks pass. */
  private static final String TLS_HOST = "localhost";

  private final TlsFiles tls;
  private final SSLContext ssl;

  private NodeListener(TlsFiles tls) {
    this.tls = tls;
    this.ssl = tls == null ? null : TlsFiles.sslContext(tls);
  }

  /**
   * @param served the pair the nodes serve (its files must stay in place for the nodes' whole life)
   * @return TLS trusting that pair
   */
  public static NodeListener tls(TlsFiles served) {
    return new NodeListener(served);
  }

  /** @return true for wss:// and https:// */
  public boolean isTls() {
    return tls != null;
  }

  /** @return short label for reports */
  public String label() {
    return isTls() ? "TLS" : "plain";
  }

  /** @return the PRESENCE_TLS_* variables of a node serving this listener (none when plain) */
  Map<String, String> nodeEnvironment() {
    return tls == null ? Map.of() : Map.of("PRESENCE_TLS_CERT", tls.cert().toAbsolutePath().toString(),
        "PRESENCE_TLS_KEY", tls.key().toAbsolutePath().toString());
  }

  /**
   * @param port the node's HTTP port
   * @return every session id the node lists in {@code /presence} (on its admin listener, plain HTTP either way)
   */
  public Set<String> sessions(int port) {
    return PresenceHttp.sessions(AdminPorts.of(port));
  }

  /** @return a raw WebSocket client connected (upgrade done) to {@code path} on the node */
  public RawWebSocketClient connectRaw(int port, String path, Duration timeout) throws IOException {
    return isTls() ? RawWebSocketClient.connectTls(TLS_HOST, port, path, timeout, ssl)
        : RawWebSocketClient.connect("127.0.0.1", port, path, timeout);
  }

  /** @return a SockJS event-bus bridge client of the node on {@code port} */
  public BridgeClient bridge(int port) throws IOException {
    return BridgeClient.over(connectRaw(port, "/eventbus/websocket", Duration.ofSeconds(10)), String.valueOf(port));
  }

  /** @return the Vert.x client options with this listener's TLS trust added (unchanged when plain) */
  public WebSocketClientOptions clientOptions(WebSocketClientOptions options) {
    return isTls() ? options.setSsl(true).setTrustOptions(TlsFiles.trust(tls)) : options;
  }

  /** @return where a Vert.x client connects for {@code /ws} on the node at {@code port} */
  public WebSocketConnectOptions webSocket(int port) {
    return new WebSocketConnectOptions().setHost(isTls() ? TLS_HOST : "127.0.0.1").setPort(port).setURI("/ws")
        .setSsl(isTls());
  }

  /** @return arguments that give a client process the same listener ({@link #fromArguments}) */
  List<String> processArguments() {
    return isTls() ? List.of("--tls-cert", tls.cert().toAbsolutePath().toString(), "--tls-key",
        tls.key().toAbsolutePath().toString()) : List.of();
  }

  /** @return the listener {@link #processArguments} describe */
  static NodeListener fromArguments(Map<String, String> options) {
    String cert = options.get("--tls-cert");
    return cert == null ? PLAIN : tls(new TlsFiles(Path.of(cert), Path.of(options.get("--tls-key"))));
  }
}
