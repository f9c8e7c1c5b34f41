package dev.presence.config;

/**
 * TLS on the public listener (wss:// and https:// on the HTTP port). Immutable; validated on construction.
 *
 * <p>Off unless both PEM paths are given. Both or neither: a certificate without its key (or the reverse) is a
 * half-done deployment, and starting in plain text would silently downgrade clients configured for wss://.
 *
 * @param certPath       PEM file with the certificate chain, leaf first ({@code PRESENCE_TLS_CERT}), or
 *                       {@code null} when TLS is off
 * @param keyPath        PEM file with the leaf's private key, PKCS#8 or PKCS#1 ({@code PRESENCE_TLS_KEY}), or
 *                       {@code null} when TLS is off
 * @param reloadPeriodMs how often the node compares the files with what it serves and reloads them when they
 *                       changed (ms; {@code PRESENCE_TLS_RELOAD_MS}); 1 s to a day
 */
public record TlsSettings(String certPath, String keyPath, long reloadPeriodMs) {

  /** Default of {@code PRESENCE_TLS_RELOAD_MS} (ms): a minute, far inside cert-manager's renewal margin. */
  public static final long DEFAULT_RELOAD_MS = 60_000;

  /** Shortest accepted reload period (ms): each check reads both files, so not a busy loop. */
  public static final long MIN_RELOAD_MS = 1_000;

  /** Plain ws:// and http://. */
  public static final TlsSettings OFF = new TlsSettings(null, null, DEFAULT_RELOAD_MS);

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public TlsSettings {
    certPath = blankToNull(certPath);
    keyPath = blankToNull(keyPath);
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("PRESENCE_TLS_CERT and PRESENCE_TLS_KEY must be set together (PEM file "
          + "paths) or both left unset for plain ws://; only " + (certPath == null ? "PRESENCE_TLS_KEY"
          : "PRESENCE_TLS_CERT") + " is set");
    }
    if (reloadPeriodMs < MIN_RELOAD_MS || reloadPeriodMs > PresenceConfig.MAX_DURATION_MS) {
      throw new IllegalArgumentException("PRESENCE_TLS_RELOAD_MS must be within " + MIN_RELOAD_MS + ".."
          + PresenceConfig.MAX_DURATION_MS + " ms, was " + reloadPeriodMs);
    }
  }

  /**
   * TLS with the given PEM files and the default reload period.
   *
   * @param certPath PEM certificate chain
   * @param keyPath  PEM private key
   * @return validated settings
   */
  public static TlsSettings pem(String certPath, String keyPath) {
    return new TlsSettings(certPath, keyPath, DEFAULT_RELOAD_MS);
  }

  /** @return true when the listener speaks TLS (both paths set) */
  public boolean enabled() {
    return certPath != null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
