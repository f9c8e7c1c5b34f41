package dev.presence.tls;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.Set;

/**
 * What TLS the node's HTTP/WebSocket listener speaks, shared by every WebSocket verticle instance of a node: either
 * none (plain ws:// and http://) or the {@link CertificatePair} in service, which {@link CertificateReloadVerticle}
 * replaces when the files change. Thread-safe: the pair is an immutable value behind a volatile field.
 */
public final class ListenerTls {

  /**
   * TLS 1.2 (RFC 5246) and 1.3 (RFC 8446) only: RFC 8996 deprecates TLS 1.0 and 1.1, so a client offering nothing
   * newer fails the handshake.
   */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /**
   * ALPN (RFC 7301) offers HTTP/1.1 only: the WebSocket upgrade (RFC 6455) is an HTTP/1.1 mechanism, and a client
   * that negotiated h2 would need RFC 8441, which the node does not serve.
   */
  public static final List<HttpVersion> ALPN = List.of(HttpVersion.HTTP_1_1);

  /**
   * Local event-bus address (no body) on which each WebSocket verticle instance learns that a new pair is in
   * service, so it applies it to its own server on its own event loop.
   */
  public static final String RELOADED_ADDRESS = "presence.local.tls.reloaded";

  private static final ListenerTls PLAIN = new ListenerTls(null);

  // Written by the reload verticle's event loop, read by every WebSocket verticle's: an immutable value.
  private volatile CertificatePair current;

  private ListenerTls(CertificatePair initial) {
    this.current = initial;
  }

  /** @return no TLS: plain ws:// and http:// */
  public static ListenerTls plain() {
    return PLAIN;
  }

  /**
   * @param initial the pair read and checked at start ({@link CertificatePair#read})
   * @return TLS serving {@code initial} until a reload replaces it
   */
  public static ListenerTls serving(CertificatePair initial) {
    return new ListenerTls(java.util.Objects.requireNonNull(initial, "initial"));
  }

  /** @return true when the listener speaks TLS */
  public boolean enabled() {
    return current != null;
  }

  /** @return the pair in service, or {@code null} when TLS is off; any thread */
  public CertificatePair current() {
    return current;
  }

  /** Puts a checked pair in service; the reload verticle's event loop only. */
  void replace(CertificatePair next) {
    this.current = next;
  }

  /**
   * Adds TLS to a listener's options (unchanged when TLS is off): the pair in service, TLS 1.2 and 1.3, ALPN with
   * http/1.1 only. Any thread.
   *
   * @param options the listener's other options
   * @return {@code options}, for chaining
   */
  public HttpServerOptions configure(HttpServerOptions options) {
    CertificatePair pair = current;
    if (pair == null) {
      return options;
    }
    return options.setSsl(true)
        .setKeyCertOptions(keyCert(pair))
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setUseAlpn(true)
        .setAlpnVersions(ALPN);
  }

  /**
   * Puts the pair in service on {@code server} for new connections; existing connections keep theirs. Call on the
   * event loop of the verticle that owns {@code server}. Vert.x compares the options by value (the PEM bytes), so the
   * same pair twice is a no-op.
   *
   * @param server a listening server built from {@link #configure}d options
   * @return true if the server's TLS context changed; false when TLS is off or nothing changed; failed if Vert.x
   *     cannot build a TLS context from the pair (then the server keeps the previous one)
   */
  public Future<Boolean> applyTo(HttpServer server) {
    CertificatePair pair = current;
    if (pair == null) {
      return Future.succeededFuture(false);
    }
    // The whole SSL options, not only the key: an update replaces them all, so the protocol rules go again.
    return server.updateSSLOptions(new ServerSSLOptions()
        .setKeyCertOptions(keyCert(pair))
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setUseAlpn(true));
  }

  /** PEM values, not paths: Vert.x caches TLS contexts by options, and the same paths would reuse the old one. */
  private static PemKeyCertOptions keyCert(CertificatePair pair) {
    return new PemKeyCertOptions().setCertValue(pair.cert()).setKeyValue(pair.key());
  }
}
