package dev.presence.load.run;

import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for one measurement: a self-signed pair made for the run (Vert.x {@link SelfSignedCertificate}, RSA 2048,
 * CN=localhost), served by our node ({@code PRESENCE_TLS_CERT}/{@code _KEY}) and by the bare server (the same
 * settings: TLS 1.2 and 1.3, ALPN http/1.1), trusted by the generators and by the orchestrator's HTTP reads.
 * Immutable; thread-safe.
 *
 * @param cert    PEM certificate
 * @param key     PEM private key
 * @param context a JDK TLS context trusting {@code cert} only (for {@link Http})
 */
public record LoadTls(Path cert, Path key, SSLContext context) {

  /**
   * Makes a pair in {@code dir} (blocking: seconds on a busy machine; scenario thread).
   *
   * @param dir a directory of the run
   * @return the pair and its trust
   */
  public static LoadTls generate(Path dir) {
    SelfSignedCertificate generated = SelfSignedCertificate.create("localhost");
    try {
      Files.createDirectories(dir);
      Path cert = Files.copy(Path.of(generated.certificatePath()), dir.resolve("tls.crt"),
          StandardCopyOption.REPLACE_EXISTING);
      Path key = Files.copy(Path.of(generated.privateKeyPath()), dir.resolve("tls.key"),
          StandardCopyOption.REPLACE_EXISTING);
      return new LoadTls(cert, key, trusting(cert));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      generated.delete();
    }
  }

  private static SSLContext trusting(Path cert) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("load", CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return our node's variables for this pair */
  Map<String, String> nodeEnvironment() {
    return Map.of("PRESENCE_TLS_CERT", cert.toString(), "PRESENCE_TLS_KEY", key.toString());
  }

  /** @return the bare server's options for this pair */
  List<String> bareArguments() {
    return List.of("--tls-cert", cert.toString(), "--tls-key", key.toString());
  }

  /** @return a generator's options: trust this certificate and connect with wss:// */
  List<String> generatorArguments() {
    return List.of("--tls-trust", cert.toString());
  }
}
