package dev.presence.load.generator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * HS256 access tokens for the generators' {@code hello}, when the run checks tokens: the environment variable
 * {@value #SECRET_VARIABLE} (at least 32 bytes) is given to our nodes as {@code PRESENCE_JWT_SECRET} and used here
 * to sign one token per session (its {@code sub} is the session's user; {@code iss} and {@code aud} are {@link
 * #ISSUER} and {@link #AUDIENCE}, which the nodes are configured to require; {@code exp} an hour on). Unset,
 * {@code hello} carries no token and the nodes run in development mode. The bare server ignores the token either
 * way.
 *
 * <p>Threading: thread-safe; signing is CPU only (vertx-auth-jwt).
 */
public final class AccessTokens {

  /** The variable that turns token checks on for a run, and holds their HS256 secret. */
  public static final String SECRET_VARIABLE = "LOAD_JWT_SECRET";

  /** The issuer of the run's tokens: our nodes get it as {@code PRESENCE_JWT_ISSUER}, which mode jwt requires. */
  public static final String ISSUER = "https://load-tests.presence.invalid";

  /** The audience of the run's tokens: our nodes get it as {@code PRESENCE_JWT_AUDIENCE}, which mode jwt requires. */
  public static final String AUDIENCE = "presence";

  private final JWTAuth signer;

  private AccessTokens(JWTAuth signer) {
    this.signer = signer;
  }

  /**
   * @param vertx the generator's Vert.x
   * @return the token source of this run, or {@code null} when the run does not check tokens
   */
  static AccessTokens fromEnvironment(Vertx vertx) {
    String secret = secret();
    return secret == null ? null : new AccessTokens(JWTAuth.create(vertx,
        new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))));
  }

  /** @return the run's HS256 secret, or {@code null} when tokens are off */
  public static String secret() {
    String secret = System.getenv(SECRET_VARIABLE);
    return secret == null || secret.isBlank() ? null : secret;
  }

  /**
   * @param user the session's user
   * @return a token for it, valid for an hour
   */
  String mint(String user) {
    return signer.generateToken(new JsonObject(),
        new JWTOptions().setAlgorithm("HS256").setSubject(user).setIssuer(ISSUER).addAudience(AUDIENCE)
            .setExpiresInSeconds(3_600));
  }
}
