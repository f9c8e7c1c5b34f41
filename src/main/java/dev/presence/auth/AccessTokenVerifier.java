package dev.presence.auth;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.session.UserIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies JWT access tokens (RFC 7519) with vertx-auth-jwt and turns them into an {@link Identity}.
 *
 * <p>The provider holds exactly one key, of the configured algorithm (HS256 for a secret, RS256 or ES256 for a
 * PEM public key), so a token with {@code alg: none} or any other algorithm finds no key and is refused
 * (the algorithm-confusion attacks of RFC 8725 §2.1). vertx-auth-jwt checks the signature, {@code exp},
 * {@code nbf} and {@code iat} with {@link #LEEWAY_S} of clock skew, and the issuer and audience when
 * configured. The user is the {@code sub} claim, which must follow {@link UserIds}.
 *
 * <p>Threading: thread-safe; {@link #verify} does CPU work only and completes before it returns, so call it
 * on the event loop that needs the answer.
 */
public final class AccessTokenVerifier {

  /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} (s). */
  public static final int LEEWAY_S = 5;

  private final JWTAuth provider;
  private final String rolesClaim;

  private AccessTokenVerifier(JWTAuth provider, String rolesClaim) {
    this.provider = provider;
    this.rolesClaim = rolesClaim;
  }

  /**
   * Builds the verifier of a node. Reads the public key file once, here.
   *
   * @param vertx    the node's Vert.x
   * @param settings auth settings in mode JWT
   * @return the verifier
   * @throws IllegalArgumentException if the mode is not JWT or the key file cannot be read
   */
  public static AccessTokenVerifier create(Vertx vertx, AuthSettings settings) {
    if (settings.mode() != AuthMode.JWT) {
      throw new IllegalArgumentException("no token verifier in mode " + settings.mode());
    }
    PubSecKeyOptions key = settings.jwtSecret() != null
        ? new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.jwtSecret())
        : new PubSecKeyOptions().setAlgorithm(settings.jwtAlgorithm()).setBuffer(readPem(settings.jwtPublicKeyPath()));
    JWTOptions checks = new JWTOptions().setLeeway(LEEWAY_S);
    if (settings.issuer() != null) {
      checks.setIssuer(settings.issuer());
    }
    if (settings.audience() != null) {
      checks.addAudience(settings.audience());
    }
    JWTAuth provider = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(checks));
    return new AccessTokenVerifier(provider, settings.rolesClaim());
  }

  private static String readPem(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read PRESENCE_JWT_PUBLIC_KEY " + path, e);
    }
  }

  /**
   * @param token the compact JWT, without a {@code Bearer } prefix; maybe {@code null}
   * @return the identity, or a failed future with {@link TokenRejectedException} saying why
   */
  public Future<Identity> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new TokenRejectedException("a token is required"));
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(new TokenRejectedException("the token is longer than " + MAX_TOKEN_CHARS));
    }
    Future<User> verified;
    try {
      verified = provider.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      return Future.failedFuture(new TokenRejectedException("the token is malformed"));
    }
    return verified.transform(result -> {
      if (result.failed()) {
        return Future.failedFuture(new TokenRejectedException("the token is not valid: " + reason(result.cause())));
      }
      return identity(result.result());
    });
  }

  /** Tokens longer than this (characters) are refused unread: a token is at most a few KiB. */
  public static final int MAX_TOKEN_CHARS = 8_192;

  /**
   * vertx-auth-jwt keeps the verified payload in the user's {@code accessToken} attribute and copies the time
   * claims ({@code exp}, {@code iat}, {@code nbf}) into the attributes.
   */
  private Future<Identity> identity(User user) {
    JsonObject claims = user.attributes().getValue("accessToken") instanceof JsonObject payload
        ? payload : user.principal();
    Object exp = user.attributes().containsKey("exp") ? user.attributes().getValue("exp") : claims.getValue("exp");
    if (!(claims.getValue("sub") instanceof String rawSub)) {
      return Future.failedFuture(new TokenRejectedException("the token has no string sub"));
    }
    UserIds.Check check = UserIds.check(rawSub);
    if (check instanceof UserIds.Invalid invalid) {
      return Future.failedFuture(new TokenRejectedException("the token's sub " + invalid.reason()));
    }
    String sub = ((UserIds.Valid) check).user();
    Set<String> roles = new HashSet<>();
    if (claims.getValue(rolesClaim) instanceof JsonArray array) {
      array.forEach(role -> {
        if (role instanceof String name) {
          roles.add(name);
        }
      });
    }
    long expiresAt = exp instanceof Number n ? n.longValue() * 1_000 : 0;
    return Future.succeededFuture(new Identity(sub, roles, expiresAt));
  }

  /** vertx-auth-jwt's messages name the failed check ("Expired JWT token", "Invalid JWT audience"...). */
  private static String reason(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
