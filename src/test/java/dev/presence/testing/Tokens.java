package dev.presence.testing;

import dev.presence.config.AuthSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the tokens of the auth tests with vertx-auth-jwt, including the bad ones a real attacker or a broken
 * identity provider sends (expired, not yet valid, {@code alg: none}, signed with another key, another {@code typ}).
 * Claims are written by hand so each test controls {@code exp}, {@code nbf}, {@code iss} and {@code aud} exactly.
 * Thread-safe; call from any thread.
 */
public final class Tokens {

  /** An HS256 secret the test nodes are configured with (more than 32 bytes, RFC 7518 §3.2). */
  public static final String SECRET = "test-secret-of-the-presence-node-0123456789";

  /** The issuer test nodes require ({@code PRESENCE_JWT_ISSUER}) and {@link #claims} write. */
  public static final String ISSUER = "https://id.presence.test";

  /** The audience test nodes require ({@code PRESENCE_JWT_AUDIENCE}) and {@link #claims} write. */
  public static final String AUDIENCE = "presence";

  private static final Vertx VERTX = Vertx.vertx();

  private Tokens() {
  }

  /** @return claims with {@code sub}, {@link #ISSUER}, {@link #AUDIENCE}, and {@code exp} {@code ttlSeconds} on */
  public static JsonObject claims(String sub, long ttlSeconds) {
    return new JsonObject().put("sub", sub).put("iss", ISSUER).put("aud", AUDIENCE)
        .put("exp", nowSeconds() + ttlSeconds);
  }

  /** @return settings of a node that wants HS256 tokens of {@link #SECRET}, {@link #ISSUER} and {@link #AUDIENCE} */
  public static AuthSettings settings() {
    return AuthSettings.hs256(SECRET, ISSUER, AUDIENCE);
  }

  /** @return {@code claims} signed HS256 with {@code secret} */
  public static String hs256(String secret, JsonObject claims) {
    JWTAuth auth = JWTAuth.create(VERTX, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  /** @return a valid token for {@code sub}, signed with {@link #SECRET}, valid for an hour */
  public static String valid(String sub) {
    return hs256(SECRET, claims(sub, 3_600));
  }

  /** @return a valid token for {@code sub} with the given roles */
  public static String withRoles(String sub, String... roles) {
    return hs256(SECRET, claims(sub, 3_600).put("roles", new JsonArray(List.of(roles))));
  }

  /**
   * Signs HS256 by hand, for headers vertx-auth-jwt does not write: it always sets {@code typ: JWT}, and RFC 9068
   * access tokens say {@code at+jwt}.
   *
   * @return {@code claims} under {@code header} (its {@code alg} forced to HS256), signed with {@code secret}
   */
  public static String hs256WithHeader(String secret, JsonObject header, JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.copy().put("alg", "HS256").encode().getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return an unsigned token ({@code alg: none}, RFC 7519 §6) carrying otherwise valid claims */
  public static String unsigned(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }

  /** @return now in epoch seconds */
  public static long nowSeconds() {
    return System.currentTimeMillis() / 1_000;
  }
}
