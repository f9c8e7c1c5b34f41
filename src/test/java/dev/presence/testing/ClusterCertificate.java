package dev.presence.testing;

import dev.presence.config.EventBusTls;
import io.vertx.core.net.SelfSignedCertificate;

/**
 * A cluster certificate for tests: a fresh self-signed certificate and key written as PEM files (Vert.x's
 * {@link SelfSignedCertificate}), trusted as its own CA. Two calls give two unrelated certificates, so a
 * holder of one is a stranger to a cluster using the other. Files live in the temporary directory and are
 * deleted when the JVM exits.
 */
public final class ClusterCertificate {

  private ClusterCertificate() {
  }

  /** @return event-bus TLS settings with a new self-signed certificate as certificate and CA */
  public static EventBusTls generate() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("presence-cluster");
    return new EventBusTls(certificate.certificatePath(), certificate.privateKeyPath(),
        certificate.certificatePath());
  }
}
