/**
 * TLS on the public listener: the PEM certificate and key a node serves ({@link dev.presence.tls.CertificatePair}),
 * the protocol rules every server instance applies ({@link dev.presence.tls.ListenerTls}: TLS 1.2 and 1.3 only,
 * ALPN offering http/1.1 only), and the reload of a rotated pair without a restart
 * ({@link dev.presence.tls.CertificateReloadVerticle}).
 *
 * <p>Threading: files are read and checked only on a worker thread ({@code executeBlocking}); the pair currently
 * served is an immutable value published through a volatile field; each WebSocket verticle instance applies a new
 * pair to its own server on its own event loop when told on a local event-bus address. Existing connections keep
 * the handshake they made; only new connections see a new certificate.
 */
package dev.presence.tls;
