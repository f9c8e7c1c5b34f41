package dev.presence.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resume tokens (docs/protocol.md §11.4): opaque to clients, signed with HMAC-SHA256 (RFC 2104) under a key every
 * node shares, and bound to one user, one session, one resume generation of that session and an expiry. A token
 * grants nothing by itself: the cluster resumes a session only while it holds it (for the grace period after its
 * abnormal disconnect), only for the authenticated user it names, only before the token's expiry, and only if the
 * token names the session's current resume generation, which every resume moves on (presence/ResumePolicy): so a
 * token works once, and a copy of it is worthless after its session's next resume.
 *
 * <p>Form: {@code base64url(user) "." base64url(session) "." generation "." expiresAt "." base64url(mac)}, the two
 * numbers in decimal, the MAC over everything before its own dot. The form of the tokens without generation and
 * expiry (three parts) is refused: a client that presents one gets a new session, as for any invalid token.
 *
 * <p>Threading: immutable and thread-safe ({@link Mac} instances are made per call).
 */
public final class ResumeTokens {

  /** Longest token accepted for parsing (characters): far above any real one. */
  public static final int MAX_LENGTH = 1_024;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] key;
  private final long validityMs;

  /**
   * @param key        the shared HMAC key (at least 32 bytes)
   * @param validityMs how long a token is valid after it was issued (ms, positive): {@code
   *                   PRESENCE_RESUME_TOKEN_TTL_MS}
   */
  public ResumeTokens(byte[] key, long validityMs) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("a resume key of at least 32 bytes is required");
    }
    if (validityMs <= 0) {
      throw new IllegalArgumentException("the validity of resume tokens must be positive, was " + validityMs);
    }
    this.key = key.clone();
    this.validityMs = validityMs;
  }

  /**
   * What a token with a valid MAC names. Whether it still resumes anything is for the cluster to decide.
   *
   * @param user       the session's user
   * @param session    the session id
   * @param generation the session's resume generation when the token was issued
   * @param expiresAt  epoch ms from which the token is refused
   */
  public record Claim(String user, String session, long generation, long expiresAt) {

    /**
     * @param now epoch ms
     * @return whether the token is past its expiry at {@code now}
     */
    public boolean expiredAt(long now) {
      return now >= expiresAt;
    }
  }

  /**
   * @param user       the session's user
   * @param session    the session id
   * @param generation the session's current resume generation (its presence entry's)
   * @param now        epoch ms of issue; the token expires at {@code now} plus the validity
   * @return the token
   */
  public String issue(String user, String session, long generation, long now) {
    String body = encode(user) + "." + encode(session) + "." + generation + "." + (now + validityMs);
    return body + "." + ENCODER.encodeToString(mac(body));
  }

  /**
   * Checks the token's form and MAC (in constant time), not its expiry: that is decided with the time of the
   * resume, by the caller.
   *
   * @param token a token from a client, maybe {@code null} or garbage
   * @return what it names if its MAC is valid, else empty
   */
  public Optional<Claim> verify(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int macDot = token.lastIndexOf('.');
    String[] parts = token.split("\\.", -1);
    if (parts.length != 5) {
      return Optional.empty();
    }
    try {
      byte[] presented = DECODER.decode(parts[4]);
      if (!MessageDigest.isEqual(presented, mac(token.substring(0, macDot)))) {
        return Optional.empty();
      }
      return Optional.of(new Claim(decode(parts[0]), decode(parts[1]), Long.parseLong(parts[2]),
          Long.parseLong(parts[3])));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not base64url, or not a number (NumberFormatException is one)
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  private static String encode(String text) {
    return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String part) {
    return new String(DECODER.decode(part), StandardCharsets.UTF_8);
  }
}
