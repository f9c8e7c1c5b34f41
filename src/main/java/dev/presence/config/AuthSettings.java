package dev.presence.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Who may connect: the token check, the browser origin allowlist and the event-bus service credential.
 * Immutable; validated on construction.
 *
 * @param mode              JWT (default) or the explicit development mode NONE
 * @param jwtSecret         HS256 shared secret (UTF-8, at least 32 bytes: RFC 7518 §3.2 wants a key as long as
 *                          the hash output), or {@code null}
 * @param jwtPublicKeyPath  path of a PEM public key (RS256 or ES256 per {@code jwtAlgorithm}), or {@code null}
 * @param jwtAlgorithm      {@code RS256} or {@code ES256} for the public key; ignored with a secret (HS256)
 * @param jwksUrl           http(s) URL of the identity provider's JSON Web Key Set (RFC 7517 §5), or {@code null};
 *                          fetched at start, refetched when a token names an unknown {@code kid}
 * @param jwksRefreshMs     least time between two fetches of the key set (ms), 1 s to a day: a storm of tokens with
 *                          unknown {@code kid}s costs the identity provider at most one request per interval
 * @param issuer            the {@code iss} every token must carry; required in mode JWT, {@code null} in mode NONE
 * @param audience          a member every token's {@code aud} must hold; required in mode JWT, {@code null} in
 *                          mode NONE
 * @param tokenType         the header {@code typ} every token must carry (e.g. {@code at+jwt}, RFC 9068 §2.1), or
 *                          {@code null} to leave {@code typ} unchecked
 * @param rolesClaim        name of the claim holding the roles array ({@code roles} by default)
 * @param allowedOrigins    accepted {@code Origin} header values for WebSocket and SockJS upgrades; empty means
 *                          any origin (RFC 6455 §10.2: the server decides whom it serves)
 * @param allowRemoteWithoutAuth the second, separate switch that lets mode NONE listen beyond loopback
 * @param serviceToken      shared credential of trusted cluster services for {@code presence.kick}, or
 *                          {@code null} (then only admin tokens may kick over the event bus)
 * @param resumeSecret      key of the resume tokens (at least 32 bytes; the same on every node), or {@code null} to
 *                          derive it from the HS256 secret; see {@link #resumeKey()}
 * @param roomsClaim        name of the claim listing the rooms a user may join or watch ({@code rooms} by default;
 *                          docs/protocol.md, "Who may join")
 * @param maxRevocationMs   longest revocation {@code presence.kick} may ask for ({@code PRESENCE_MAX_REVOCATION_MS},
 *                          ms, default {@value #DEFAULT_MAX_REVOCATION_MS}, 1 s to {@value #MAX_REVOCATION_LIMIT_MS}):
 *                          every revocation entry expires by then, so the revocation map cannot grow without bound
 */
public record AuthSettings(
    AuthMode mode,
    String jwtSecret,
    String jwtPublicKeyPath,
    String jwtAlgorithm,
    String jwksUrl,
    long jwksRefreshMs,
    String issuer,
    String audience,
    String tokenType,
    String rolesClaim,
    List<String> allowedOrigins,
    boolean allowRemoteWithoutAuth,
    String serviceToken,
    String resumeSecret,
    String roomsClaim,
    long maxRevocationMs) {

  /** Shortest accepted HS256 secret (bytes, UTF-8): the SHA-256 output size, RFC 7518 §3.2. */
  public static final int MIN_SECRET_BYTES = 32;

  /** Default least time between two fetches of the key set (ms). */
  public static final long DEFAULT_JWKS_REFRESH_MS = 60_000;

  /**
   * Shortest accepted time between two fetches of the key set (ms): an attacker who sends tokens with made-up
   * {@code kid}s makes the node fetch once per interval, so the interval bounds the load on the identity provider.
   */
  public static final long MIN_JWKS_REFRESH_MS = 1_000;

  /**
   * Default longest revocation (ms): 7 days, longer than any sensible access token lifetime, so a token revoked by
   * {@code jti} for the longest time expires before its revocation does.
   */
  public static final long DEFAULT_MAX_REVOCATION_MS = 7L * 24 * 60 * 60 * 1_000;

  /**
   * Highest accepted {@code PRESENCE_MAX_REVOCATION_MS} (ms): 30 days. Every revocation is an entry of a replicated
   * map until it ends; a longer ban belongs to the identity provider (stop issuing the user tokens).
   */
  public static final long MAX_REVOCATION_LIMIT_MS = 30L * 24 * 60 * 60 * 1_000;

  /** Shortest accepted service credential (characters): guessing must not be an option. */
  public static final int MIN_SERVICE_TOKEN_LENGTH = 24;

  /** The role that may kick any session, user or nickname. */
  public static final String ADMIN_ROLE = "presence-admin";

  /**
   * The role that may subscribe to every session of the cluster ({@code subscribe {"all": true}}) without being an
   * admin: a dashboard's, say. Everyone else subscribes to the users it names.
   */
  public static final String WATCH_ALL_ROLE = "presence-watch-all";

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public AuthSettings {
    if (mode == null) {
      throw new IllegalArgumentException("PRESENCE_AUTH must be jwt or none");
    }
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    PresenceConfig.requireText("PRESENCE_JWT_ROLES_CLAIM", rolesClaim);
    PresenceConfig.requireText("PRESENCE_JWT_ROOMS_CLAIM", roomsClaim);
    if (maxRevocationMs < 1_000 || maxRevocationMs > MAX_REVOCATION_LIMIT_MS) {
      throw new IllegalArgumentException("PRESENCE_MAX_REVOCATION_MS must be within 1000.." + MAX_REVOCATION_LIMIT_MS
          + " ms (30 days), was " + maxRevocationMs);
    }
    if (jwksRefreshMs < MIN_JWKS_REFRESH_MS || jwksRefreshMs > PresenceConfig.MAX_DURATION_MS) {
      throw new IllegalArgumentException("PRESENCE_JWT_JWKS_REFRESH_MS must be within " + MIN_JWKS_REFRESH_MS + ".."
          + PresenceConfig.MAX_DURATION_MS + " ms, was " + jwksRefreshMs);
    }
    if (mode == AuthMode.JWT) {
      long keySources = Stream.of(jwtSecret, jwtPublicKeyPath, jwksUrl).filter(Objects::nonNull).count();
      if (keySources != 1) {
        throw new IllegalArgumentException("PRESENCE_AUTH=jwt needs exactly one of PRESENCE_JWT_SECRET (HS256),"
            + " PRESENCE_JWT_PUBLIC_KEY (a PEM file) or PRESENCE_JWT_JWKS_URL (the identity provider's key set); for"
            + " a local run without tokens set PRESENCE_AUTH=none");
      }
      if (jwksUrl != null) {
        requireHttpUrl(jwksUrl);
      }
      if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("PRESENCE_JWT_SECRET must be at least " + MIN_SECRET_BYTES
            + " bytes (RFC 7518 section 3.2)");
      }
      if (jwtPublicKeyPath != null && !List.of("RS256", "ES256").contains(jwtAlgorithm)) {
        throw new IllegalArgumentException("PRESENCE_JWT_ALGORITHM must be RS256 or ES256, was " + jwtAlgorithm);
      }
      requireIssuerAndAudience(issuer, audience);
    }
    if (tokenType != null && tokenType.isBlank()) {
      throw new IllegalArgumentException("PRESENCE_JWT_TYP must not be blank (leave it unset to accept any typ)");
    }
    if (resumeSecret != null && resumeSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("PRESENCE_RESUME_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (serviceToken != null && serviceToken.length() < MIN_SERVICE_TOKEN_LENGTH) {
      throw new IllegalArgumentException("PRESENCE_SERVICE_TOKEN must be at least " + MIN_SERVICE_TOKEN_LENGTH
          + " characters");
    }
  }

  /** Default of {@link #roomsClaim()}. */
  public static final String DEFAULT_ROOMS_CLAIM = "rooms";

  /** Settings with the default longest revocation ({@value #DEFAULT_MAX_REVOCATION_MS} ms). */
  public AuthSettings(AuthMode mode, String jwtSecret, String jwtPublicKeyPath, String jwtAlgorithm, String jwksUrl,
      long jwksRefreshMs, String issuer, String audience, String tokenType, String rolesClaim,
      List<String> allowedOrigins, boolean allowRemoteWithoutAuth, String serviceToken, String resumeSecret,
      String roomsClaim) {
    this(mode, jwtSecret, jwtPublicKeyPath, jwtAlgorithm, jwksUrl, jwksRefreshMs, issuer, audience, tokenType,
        rolesClaim, allowedOrigins, allowRemoteWithoutAuth, serviceToken, resumeSecret, roomsClaim,
        DEFAULT_MAX_REVOCATION_MS);
  }

  /** Settings with the default rooms claim ({@value #DEFAULT_ROOMS_CLAIM}). */
  public AuthSettings(AuthMode mode, String jwtSecret, String jwtPublicKeyPath, String jwtAlgorithm, String jwksUrl,
      long jwksRefreshMs, String issuer, String audience, String tokenType, String rolesClaim,
      List<String> allowedOrigins, boolean allowRemoteWithoutAuth, String serviceToken, String resumeSecret) {
    this(mode, jwtSecret, jwtPublicKeyPath, jwtAlgorithm, jwksUrl, jwksRefreshMs, issuer, audience, tokenType,
        rolesClaim, allowedOrigins, allowRemoteWithoutAuth, serviceToken, resumeSecret, DEFAULT_ROOMS_CLAIM);
  }

  /**
   * Settings without a key set, without a {@code typ} rule and without a resume secret of their own (derived from the
   * HS256 secret, see {@link #resumeKey()}).
   */
  public AuthSettings(AuthMode mode, String jwtSecret, String jwtPublicKeyPath, String jwtAlgorithm, String issuer,
      String audience, String rolesClaim, List<String> allowedOrigins, boolean allowRemoteWithoutAuth,
      String serviceToken) {
    this(mode, jwtSecret, jwtPublicKeyPath, jwtAlgorithm, null, DEFAULT_JWKS_REFRESH_MS, issuer, audience, null,
        rolesClaim, allowedOrigins, allowRemoteWithoutAuth, serviceToken, null);
  }

  /**
   * Tokens verified with the keys of an identity provider's key set, no {@code typ} rule.
   *
   * @param jwksUrl   the key set's http(s) URL
   * @param refreshMs least time between two fetches (ms)
   * @param issuer    the required {@code iss}
   * @param audience  the required {@code aud} member
   * @return the settings
   */
  public static AuthSettings jwks(String jwksUrl, long refreshMs, String issuer, String audience) {
    return new AuthSettings(AuthMode.JWT, null, null, "RS256", jwksUrl, refreshMs, issuer, audience, null, "roles",
        List.of(), false, null, null);
  }

  private static void requireHttpUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || uri.getScheme() == null
        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("PRESENCE_JWT_JWKS_URL must be an absolute http or https URL, was '" + url
          + "'");
    }
  }

  /**
   * A token without the right issuer or audience is one minted for someone else: another realm of the same
   * provider, or another service it signs tokens for with the same key. Accepting it lets any of those open sessions
   * here (RFC 8725 §3.8 and §3.9), so mode JWT does not start without both.
   */
  private static void requireIssuerAndAudience(String issuer, String audience) {
    List<String> missing = new ArrayList<>();
    if (issuer == null || issuer.isBlank()) {
      missing.add("PRESENCE_JWT_ISSUER (the iss your identity provider writes)");
    }
    if (audience == null || audience.isBlank()) {
      missing.add("PRESENCE_JWT_AUDIENCE (the aud its tokens carry for this service)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("PRESENCE_AUTH=jwt needs " + String.join(" and ", missing)
          + ": a token minted for another service or realm must not open a session here (RFC 8725 sections 3.8,"
          + " 3.9); for a local run without tokens set PRESENCE_AUTH=none");
    }
  }

  /**
   * The HMAC-SHA256 key of resume tokens; every node of a cluster derives the same one. In order: {@code
   * PRESENCE_RESUME_SECRET}; else a key derived from the HS256 secret (HMAC of a fixed label, so a resume token is
   * never a valid access token or the reverse); else in development mode a fixed key (anyone may claim any user
   * there anyway); else (public-key or key-set tokens without a resume secret) none, and sessions are not resumable.
   *
   * @return the key, or {@code null} when resume is off
   */
  public byte[] resumeKey() {
    if (resumeSecret != null) {
      return resumeSecret.getBytes(StandardCharsets.UTF_8);
    }
    if (jwtSecret != null) {
      return hmac(jwtSecret.getBytes(StandardCharsets.UTF_8), "presence resume tokens v1");
    }
    return mode == AuthMode.NONE ? "presence development resume key: not a secret".getBytes(StandardCharsets.UTF_8)
        : null;
  }

  private static byte[] hmac(byte[] key, String label) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  /**
   * Development mode on loopback: no tokens, any origin, no service credential.
   *
   * @return settings for tests and the one-command local run
   */
  public static AuthSettings none() {
    return new AuthSettings(AuthMode.NONE, null, null, "RS256", null, null, "roles", List.of(), false, null);
  }

  /**
   * HS256 tokens signed with {@code secret}, for {@code audience}, from {@code issuer}.
   *
   * @param secret   at least 32 bytes
   * @param issuer   the required {@code iss}
   * @param audience the required {@code aud} member
   * @return the settings
   */
  public static AuthSettings hs256(String secret, String issuer, String audience) {
    return new AuthSettings(AuthMode.JWT, secret, null, "RS256", issuer, audience, "roles", List.of(), false, null);
  }

  /**
   * Refuses mode NONE on a non-loopback listener unless the separate switch allows it.
   *
   * @param httpHost the listener address
   * @throws IllegalArgumentException if the combination is refused
   */
  void checkListener(String httpHost) {
    if (mode == AuthMode.NONE && !allowRemoteWithoutAuth && !isLoopback(httpHost)) {
      throw new IllegalArgumentException("PRESENCE_AUTH=none trusts hello.user as sent; it listens only on loopback,"
          + " but PRESENCE_HTTP_HOST is " + httpHost + ". Configure JWT, or set"
          + " PRESENCE_AUTH_NONE_ALLOW_REMOTE=true to accept the risk");
    }
  }

  private static boolean isLoopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      // Only literal addresses are judged (no DNS lookup at start): a name other than localhost is not loopback.
      return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The origin rule (RFC 6455 §10.2, RFC 6454): no {@code Origin} (a client that is not a browser), the node's
   * own origin (its dashboard; the {@code Origin} names the same host and port as the request's {@code Host}),
   * or one on the list. An empty list allows every origin.
   *
   * @param origin the {@code Origin} header of the request, or {@code null}
   * @param host   the request's {@code Host} header (authority), or {@code null}
   * @return whether the origin may open a WebSocket or bridge socket here
   */
  public boolean originAllowed(String origin, String host) {
    if (allowedOrigins.isEmpty() || origin == null || allowedOrigins.contains(origin)) {
      return true;
    }
    int scheme = origin.indexOf("://");
    return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
  }
}
