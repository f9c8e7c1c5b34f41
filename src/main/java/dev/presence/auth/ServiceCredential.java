package dev.presence.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A shared secret that trusted callers present, or several at once so that one can be rotated without a moment
 * where none works: the service credential of Vert.x services in the cluster ({@code PRESENCE_SERVICE_TOKEN}, which
 * lets them kick any session over the event bus) and the API keys of the admin listener's read API
 * ({@code PRESENCE_API_KEYS}). The one place that compares such secrets.
 *
 * <p>Compared as SHA-256 digests with {@link MessageDigest#isEqual} (constant time for equal lengths), every
 * configured secret each time: neither a matching prefix, nor the secret's length (digests are all 32 bytes), nor
 * which of the keys matched shows in the response time. Immutable; thread-safe.
 */
public final class ServiceCredential {

  private final List<byte[]> digests;

  /** @param token the configured credential, or {@code null} when none is configured (nothing matches) */
  public ServiceCredential(String token) {
    this(token == null ? List.of() : List.of(token));
  }

  /** @param secrets the configured secrets (any one matches); empty when none is configured (nothing matches) */
  public ServiceCredential(List<String> secrets) {
    this.digests = secrets.stream().map(ServiceCredential::sha256).toList();
  }

  /**
   * @param presented the credential a caller sent, maybe {@code null}
   * @return whether it is one of the configured ones (never true when none is configured)
   */
  public boolean matches(String presented) {
    if (presented == null || digests.isEmpty()) {
      return false;
    }
    byte[] digest = sha256(presented);
    boolean match = false;
    for (byte[] expected : digests) {
      match |= MessageDigest.isEqual(expected, digest); // no early exit: which key matched must not show
    }
    return match;
  }

  /** @return whether any secret is configured */
  public boolean isConfigured() {
    return !digests.isEmpty();
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
