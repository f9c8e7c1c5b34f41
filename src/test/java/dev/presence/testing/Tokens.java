package dev.presence.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Mints the tokens of the auth tests with vertx-auth-jwt, including the bad ones a real attacker or a broken
 * identity provider sends (expired, not yet valid, {@code alg: none}, signed with another key). Claims are
 * written by hand so each test controls {@code exp}, {@code nbf}, {@code iss} and {@code aud} exactly.
 * Thread-safe; call from any thread.
 */
public final class Tokens {

  /** An HS256 secret the test nodes are configured with (more than 32 bytes, RFC 7518 §3.2). */
  public static final String SECRET = "test-secret-of-the-presence-node-0123456789";

  private static final Vertx VERTX = Vertx.vertx();

  private Tokens() {
  }

  /** @return claims with {@code sub} and an {@code exp} {@code ttlSeconds} from now */
  public static JsonObject claims(String sub, long ttlSeconds) {
    return new JsonObject().put("sub", sub).put("exp", nowSeconds() + ttlSeconds);
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
