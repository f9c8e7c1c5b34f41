package dev.presence.cluster;

import dev.presence.config.EventBusTls;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;

/**
 * Who may speak on the clustered event bus. The event bus carries commands every node obeys
 * ({@code presence.evict}, {@code presence.kick}) and the events subscribers relay ({@code presence.events});
 * Vert.x delivers whatever arrives on a node's event-bus port, and a process that joins the Hazelcast cluster
 * learns every node's event-bus address. With {@link EventBusTls} set, the event bus's TCP connections (each
 * node is both server and client) use TLS 1.2+ with client authentication required, both sides trusting only
 * the cluster CA: a sender without a cluster certificate is refused at the handshake, before any frame is
 * parsed. Without it the event bus is plain, as in Vert.x's default, and only the network (the NetworkPolicy
 * in {@code k8s/}) keeps strangers out.
 *
 * <p>A service joining the bus as a lite member (docs/event-bus.md) applies the same settings to its own
 * options, with the cluster certificate (or one the cluster CA signed for it). Called once per Vert.x instance,
 * from the thread that builds it.
 */
public final class EventBusTrust {

  /** TLS 1.0 and 1.1 are deprecated by RFC 8996; the JDK supports 1.2 and 1.3. */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private EventBusTrust() {
  }

  /**
   * Configures {@code options} for mutual TLS, or leaves them plain.
   *
   * @param tls     the cluster certificate, key and CA, or {@code null} for a plain event bus
   * @param options the event-bus options of the Vert.x instance being built (changed in place)
   */
  public static void apply(EventBusTls tls, EventBusOptions options) {
    if (tls == null) {
      return;
    }
    options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.caPath()))
        .setClientAuth(ClientAuth.REQUIRED)
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }
}
