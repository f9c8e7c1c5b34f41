package dev.presence.tls;

import dev.presence.config.TlsSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the TLS pair without a restart when its files change (cert-manager rotates the Secret and the kubelet
 * swaps the mounted files). Every {@link TlsSettings#reloadPeriodMs()} it reads both files on a worker thread and
 * compares their SHA-256 with the pair in service; a changed pair that passes {@link CertificatePair}'s checks is put
 * in service and announced on {@link ListenerTls#RELOADED_ADDRESS}, one that fails is logged at WARN once and the
 * old pair stays. One instance per node.
 *
 * <p>Threading: the timer and the outcome run on this verticle's event loop; file reads and parsing run in
 * {@code executeBlocking}.
 */
public final class CertificateReloadVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloadVerticle.class);

  private final TlsSettings settings;
  private final ListenerTls tls;

  // Event-loop confined.
  private long timer = -1;
  private boolean checking;
  private String rejectedDigest;
  private String lastReadFailure;

  /**
   * @param settings the PEM paths and the period
   * @param tls      the node's listener TLS, serving the pair read at start
   */
  public CertificateReloadVerticle(TlsSettings settings, ListenerTls tls) {
    if (!tls.enabled()) {
      throw new IllegalArgumentException("nothing to reload: the listener does not speak TLS");
    }
    this.settings = settings;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    long period = settings.reloadPeriodMs();
    // Jittered first tick: nodes started together do not read their volumes in lockstep.
    timer = vertx.setPeriodic(1 + ThreadLocalRandom.current().nextLong(period), period, id -> check());
    LOG.info("TLS on the listener: serving {}; {} and {} checked every {} ms", tls.current(), settings.certPath(),
        settings.keyPath(), period);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** One check: read on a worker, then act on the event loop. Skipped while the previous one still runs. */
  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    CertificatePair known = tls.current();
    String rejected = rejectedDigest;
    // Unordered: one check at a time is this verticle's own rule (the flag), not the worker pool's.
    vertx.executeBlocking(() -> CertificatePair.reread(settings, known, rejected), false)
        .onSuccess(this::onReread)
        .onFailure(this::onUnreadable)
        .onComplete(done -> checking = false);
  }

  private void onReread(CertificatePair.Reread outcome) {
    lastReadFailure = null;
    // Java 17: no pattern matching for switch yet.
    if (outcome instanceof CertificatePair.Reread.Changed changed) {
      rejectedDigest = null;
      tls.replace(changed.pair());
      LOG.info("TLS certificate reloaded: {}", changed.pair());
      vertx.eventBus().publish(ListenerTls.RELOADED_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
    } else if (outcome instanceof CertificatePair.Reread.Rejected rejected) {
      rejectedDigest = rejected.digest();
      LOG.warn("TLS certificate files changed but cannot be served, keeping {}: {}", tls.current(),
          rejected.problem());
    }
  }

  private void onUnreadable(Throwable failure) {
    // A file missing for a moment is normal while it is being replaced: said once, not every period.
    String message = String.valueOf(failure.getMessage());
    if (!message.equals(lastReadFailure)) {
      lastReadFailure = message;
      LOG.warn("TLS certificate files cannot be read, keeping {}: {}", tls.current(), message);
    }
  }
}
