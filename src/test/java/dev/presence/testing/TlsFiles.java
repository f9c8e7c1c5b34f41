package dev.presence.testing;

import dev.presence.config.TlsSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
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
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed TLS pairs made at test time (Vert.x's {@link SelfSignedCertificate}: an RSA key and a certificate for
 * {@code localhost}, as PEM) and the client-side trust that accepts them. Thread-safe; blocking file I/O, so call
 * from a test thread, never an event loop.
 *
 * @param cert the PEM certificate the node serves
 * @param key  the PEM private key the node serves
 */
public record TlsFiles(Path cert, Path key) {

  /**
   * Writes a fresh pair as {@code tls.crt} and {@code tls.key} in {@code dir} (the names cert-manager's Secrets use).
   *
   * @param dir a directory the test owns
   * @return the two files
   */
  public static TlsFiles create(Path dir) {
    TlsFiles files = at(dir);
    files.replaceWith(another());
    return files;
  }

  /** @return {@code tls.crt} and {@code tls.key} in {@code dir}, whether or not they exist yet */
  public static TlsFiles at(Path dir) {
    return new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"));
  }

  /**
   * A self-signed pair in temporary files that nothing serves directly (copy it with {@link #replaceWith}); never
   * change its files. Generating one takes seconds on a loaded 2-core machine, so this JVM makes {@value #POOL}
   * and hands them out in turn: any {@value #POOL} calls in a row give distinct pairs.
   *
   * @return the next pair of the pool
   */
  public static synchronized TlsFiles another() {
    int i = handedOut++ % POOL;
    if (GENERATED.size() <= i) {
      SelfSignedCertificate generated = SelfSignedCertificate.create("localhost");
      GENERATED.add(new TlsFiles(Path.of(generated.certificatePath()), Path.of(generated.privateKeyPath())));
    }
    return GENERATED.get(i);
  }

  private static final int POOL = 4;
  private static final java.util.List<TlsFiles> GENERATED = new java.util.ArrayList<>();
  private static int handedOut;

  /**
   * Replaces both files with the other pair's, each with an atomic rename (as a kubelet swaps a mounted Secret), the
   * key first.
   *
   * @param other the pair to copy
   */
  public void replaceWith(TlsFiles other) {
    try {
      Files.createDirectories(cert.toAbsolutePath().getParent());
      copyAtomically(other.key, key);
      copyAtomically(other.cert, cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyAtomically(Path from, Path to) throws IOException {
    Path staged = to.resolveSibling(to.getFileName() + ".new");
    Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** @return node settings serving these files, checked every {@code reloadMs} ms */
  public TlsSettings settings(long reloadMs) {
    return new TlsSettings(cert.toString(), key.toString(), reloadMs);
  }

  /** @return the certificate as the JDK parses it */
  public X509Certificate certificate() {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return Vert.x client trust for these certificates' current contents (copied, so later swaps do not change it) */
  public static PemTrustOptions trust(TlsFiles... pairs) {
    PemTrustOptions trust = new PemTrustOptions();
    for (TlsFiles pair : pairs) {
      try {
        trust.addCertValue(Buffer.buffer(Files.readAllBytes(pair.cert)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return trust;
  }

  /**
   * @return a JDK TLS context trusting these certificates only (for {@code SSLSocket} and {@code HttpClient}); TLS
   *     1.2 and 1.3 as the JDK enables them by default
   */
  public static SSLContext sslContext(TlsFiles... pairs) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      List<TlsFiles> all = List.of(pairs);
      for (int i = 0; i < all.size(); i++) {
        store.setCertificateEntry("trusted-" + i, all.get(i).certificate());
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
