package dev.presence.config;

/**
 * Mutual TLS on the clustered event bus: every node presents the cluster certificate and accepts a peer
 * only if the peer presents one signed by the cluster CA. With it, a process that reaches the event-bus
 * port (or joins the Hazelcast cluster and so learns the nodes' event-bus addresses) but holds no cluster
 * certificate cannot deliver {@code presence.evict}, {@code presence.kick} or a forged
 * {@code presence.events} message to any node, nor receive one (docs/security.md, "The cluster ports").
 * Immutable; validated on construction.
 *
 * <p>Peer hostnames are not verified: members are addressed by pod IP, and trust rests on the cluster CA,
 * which must sign nothing but cluster certificates.
 *
 * @param certPath PEM certificate chain this node presents (server and client side), {@code PRESENCE_CLUSTER_TLS_CERT}
 * @param keyPath  PEM private key (PKCS#8 or PKCS#1) of that certificate, {@code PRESENCE_CLUSTER_TLS_KEY}
 * @param caPath   PEM certificate(s) a peer's certificate must chain to, {@code PRESENCE_CLUSTER_TLS_CA}
 */
public record EventBusTls(String certPath, String keyPath, String caPath) {

  /**
   * Validates the paths (presence only; the files are read when the event bus starts, which fails the
   * node's start if they cannot be loaded).
   *
   * @throws IllegalArgumentException naming the setting that is blank
   */
  public EventBusTls {
    PresenceConfig.requireText("PRESENCE_CLUSTER_TLS_CERT", certPath);
    PresenceConfig.requireText("PRESENCE_CLUSTER_TLS_KEY", keyPath);
    PresenceConfig.requireText("PRESENCE_CLUSTER_TLS_CA", caPath);
  }

  /**
   * @param certPath {@code PRESENCE_CLUSTER_TLS_CERT}, or {@code null}/blank when unset
   * @param keyPath  {@code PRESENCE_CLUSTER_TLS_KEY}, or {@code null}/blank when unset
   * @param caPath   {@code PRESENCE_CLUSTER_TLS_CA}, or {@code null}/blank when unset
   * @return the settings, or {@code null} (plain event bus) when none of the three is set
   * @throws IllegalArgumentException when some but not all three are set: a half-configured trust boundary
   *     is refused at start rather than silently running in the clear
   */
  public static EventBusTls ofAllOrNone(String certPath, String keyPath, String caPath) {
    boolean cert = isSet(certPath);
    boolean key = isSet(keyPath);
    boolean ca = isSet(caPath);
    if (!cert && !key && !ca) {
      return null;
    }
    if (!(cert && key && ca)) {
      throw new IllegalArgumentException("PRESENCE_CLUSTER_TLS_CERT, PRESENCE_CLUSTER_TLS_KEY and "
          + "PRESENCE_CLUSTER_TLS_CA must be set together (or none of them)");
    }
    return new EventBusTls(certPath, keyPath, caPath);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
