package dev.presence.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The shared credential of trusted Vert.x services in the cluster ({@code PRESENCE_SERVICE_TOKEN}), which
 * lets them kick any session over the event bus. Compared in constant time, so response timing does not
 * reveal a prefix. Immutable; thread-safe.
 */
public final class ServiceCredential {

  private final byte[] expected;

  /** @param token the configured credential, or {@code null} when none is configured (nothing matches) */
  public ServiceCredential(String token) {
    this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param presented the credential a caller sent, maybe {@code null}
   * @return whether it is the configured one (never true when none is configured)
   */
  public boolean matches(String presented) {
    return expected != null && presented != null
        && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
  }
}
