package dev.presence.tls;

import dev.presence.config.TlsSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * One certificate chain and its private key as read from the PEM files, checked to belong together. Immutable;
 * safe to share between threads.
 *
 * @param cert     the PEM certificate chain, as in the file (bytes)
 * @param key      the PEM private key, as in the file (bytes)
 * @param digest   SHA-256 over both files' bytes, hex; equal digests mean nothing changed
 * @param subject  the leaf certificate's subject, for logs
 * @param notAfter end of the leaf certificate's validity, for logs
 */
public record CertificatePair(Buffer cert, Buffer key, String digest, String subject, Instant notAfter) {

  /**
   * Reads both files and checks them: Vert.x must parse them (PKCS#8, PKCS#1 or SEC1 keys), and the key must sign
   * what the leaf certificate's public key verifies. Blocking file I/O: call on a worker thread only (inside
   * {@code executeBlocking}), never on an event loop.
   *
   * @param settings the PEM paths
   * @return the checked pair
   * @throws InvalidCertificateException naming the file and what is wrong with it
   */
  public static CertificatePair read(TlsSettings settings) {
    byte[] cert = readFile("PRESENCE_TLS_CERT", settings.certPath());
    byte[] key = readFile("PRESENCE_TLS_KEY", settings.keyPath());
    return check(cert, key, settings);
  }

  /** What a reload check found in the files; an expected outcome, so a value rather than an exception. */
  sealed interface Reread {
    /** Both files hold the pair in service, or the pair refused last time. */
    record Unchanged() implements Reread {
    }

    /** Both files changed and hold a checked pair. */
    record Changed(CertificatePair pair) implements Reread {
    }

    /** The files changed but cannot serve TLS; {@code digest} identifies them so the next check skips them. */
    record Rejected(String digest, String problem) implements Reread {
    }
  }

  /**
   * As {@link #read(TlsSettings)}, without parsing when both files still hold the bytes of {@code known} or of the
   * pair refused last time. Blocking file I/O: worker thread only.
   *
   * @param settings the PEM paths
   * @param known    the pair in service
   * @param rejected digest of the pair refused last time, or {@code null}
   * @return unchanged, changed with the checked pair, or rejected with the reason
   * @throws InvalidCertificateException if a file cannot be read (e.g. missing for a moment during a rotation)
   */
  static Reread reread(TlsSettings settings, CertificatePair known, String rejected) {
    byte[] cert = readFile("PRESENCE_TLS_CERT", settings.certPath());
    byte[] key = readFile("PRESENCE_TLS_KEY", settings.keyPath());
    String digest = digest(cert, key);
    if (digest.equals(known.digest()) || digest.equals(rejected)) {
      return new Reread.Unchanged();
    }
    try {
      return new Reread.Changed(check(cert, key, settings));
    } catch (InvalidCertificateException e) {
      return new Reread.Rejected(digest, e.getMessage());
    }
  }

  /**
   * @param other a previously read pair, or {@code null}
   * @return true if both files hold the same bytes as in {@code other}
   */
  public boolean sameFilesAs(CertificatePair other) {
    return other != null && digest.equals(other.digest);
  }

  /** Parses without a Vert.x instance: only PEM paths would need its file system, and values are passed here. */
  private static CertificatePair check(byte[] cert, byte[] key, TlsSettings settings) {
    PemKeyCertOptions pem = new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
    KeyStore store;
    X509KeyManager keys;
    try {
      store = pem.loadKeyStore(null);
      keys = x509(pem.getKeyManagerFactory(null).getKeyManagers());
    } catch (Exception e) {
      throw new InvalidCertificateException("cannot load the TLS pair " + settings.certPath() + " / "
          + settings.keyPath() + ": " + e, e);
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        Certificate[] chain = keys.getCertificateChain(alias);
        PrivateKey privateKey = keys.getPrivateKey(alias);
        if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate leaf && privateKey != null) {
          requireMatch(privateKey, leaf.getPublicKey(), settings);
          return new CertificatePair(Buffer.buffer(cert), Buffer.buffer(key), digest(cert, key),
              leaf.getSubjectX500Principal().getName(), leaf.getNotAfter().toInstant());
        }
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidCertificateException("cannot read the TLS pair " + settings.certPath() + ": " + e, e);
    }
    throw new InvalidCertificateException("no certificate with a private key in " + settings.certPath() + " / "
        + settings.keyPath());
  }

  /**
   * A key that is not the certificate's loads without complaint (the JDK's key store does not compare them); every
   * handshake would then fail. Caught here instead, so a half-written rotation keeps the old pair in service.
   */
  private static void requireMatch(PrivateKey privateKey, PublicKey publicKey, TlsSettings settings)
      throws GeneralSecurityException {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> null; // Vert.x loaded it; no cheap check known for this kind of key
    };
    if (algorithm == null) {
      return;
    }
    byte[] challenge = "presence tls pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another type than the certificate's: the same verdict as a wrong key.
    }
    throw new InvalidCertificateException("the private key in " + settings.keyPath()
        + " does not belong to the certificate in " + settings.certPath());
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    return Arrays.stream(managers).filter(X509KeyManager.class::isInstance).map(X509KeyManager.class::cast)
        .findFirst().orElseThrow(() -> new InvalidCertificateException("no X.509 key manager for the TLS pair"));
  }

  private static byte[] readFile(String variable, String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw new InvalidCertificateException(variable + " " + path + " cannot be read: " + e, e);
    }
  }

  private static String digest(byte[] cert, byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(cert);
      sha.update((byte) 0); // so that moving bytes from one file to the other changes the digest
      sha.update(key);
      return HexFormat.of().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    // Never the key's bytes in a log line.
    return "CertificatePair[" + subject + ", valid until " + notAfter + ", sha256 " + digest.substring(0, 12) + "]";
  }
}
