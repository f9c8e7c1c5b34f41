package dev.presence.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resume tokens: opaque to clients, signed with HMAC-SHA256 (RFC 2104) under a key every node shares, and bound to
 * one user and one session. A token grants nothing by itself: a node resumes a session only while the cluster
 * holds it (for the grace period after its abnormal disconnect), and only for the authenticated user it
 * names, so a token never outlives the grace period that follows its session's end.
 *
 * <p>Form: {@code base64url(user) "." base64url(session) "." base64url(mac)}, the MAC over the first two parts.
 *
 * <p>Threading: immutable and thread-safe ({@link Mac} instances are made per call).
 */
public final class ResumeTokens {

  /** Longest token accepted for parsing (characters): far above any real one. */
  public static final int MAX_LENGTH = 1_024;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] key;

  /** @param key the shared HMAC key (at least 32 bytes) */
  public ResumeTokens(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("a resume key of at least 32 bytes is required");
    }
    this.key = key.clone();
  }

  /** What a valid token names. */
  public record Claim(String user, String session) {
  }

  /**
   * @param user    the session's user
   * @param session the session id
   * @return the token
   */
  public String issue(String user, String session) {
    String body = encode(user) + "." + encode(session);
    return body + "." + ENCODER.encodeToString(mac(body));
  }

  /**
   * @param token a token from a client, maybe {@code null} or garbage
   * @return what it names if its MAC is valid, else empty (compared in constant time)
   */
  public Optional<Claim> verify(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      byte[] presented = DECODER.decode(parts[2]);
      if (!MessageDigest.isEqual(presented, mac(parts[0] + "." + parts[1]))) {
        return Optional.empty();
      }
      return Optional.of(new Claim(decode(parts[0]), decode(parts[1])));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not base64url
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
