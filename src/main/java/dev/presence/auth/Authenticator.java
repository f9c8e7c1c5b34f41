package dev.presence.auth;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The node's one answer to "who is this?", for WebSocket sessions and bridge sockets alike: with tokens (mode
 * JWT) the verified token's {@code sub}; in development mode (NONE) the user the client names.
 *
 * <p>Threading: thread-safe; call on the event loop that needs the answer, which comes on that event loop: at once,
 * except for a token naming a key not fetched yet ({@link AccessTokenVerifier}).
 */
public final class Authenticator {

  private final AccessTokenVerifier tokens;
  private final ServiceCredential service;

  private Authenticator(AccessTokenVerifier tokens, ServiceCredential service) {
    this.tokens = tokens;
    this.service = service;
  }

  /**
   * @param vertx    the node's Vert.x
   * @param settings the node's auth settings
   * @param keys     the keys loaded at start ({@link VerificationKeys#load})
   * @return the authenticator
   */
  public static Authenticator create(Vertx vertx, AuthSettings settings, VerificationKeys keys) {
    return new Authenticator(
        settings.mode() == AuthMode.JWT ? AccessTokenVerifier.create(vertx, settings, keys) : null,
        new ServiceCredential(settings.serviceToken()));
  }

  /** @return whether callers must present a token (mode JWT) */
  public boolean tokensRequired() {
    return tokens != null;
  }

  /**
   * @param token       the presented access token, or {@code null}
   * @param claimedUser the user the client names ({@code hello.user}), or {@code null}
   * @return the identity; a failed future with {@link TokenRejectedException} if the token is missing or invalid,
   *     or names another {@code sub} than {@code claimedUser}; in development mode the token is ignored and
   *     {@code claimedUser} is required
   */
  public Future<Identity> authenticate(String token, String claimedUser) {
    if (tokens == null) {
      return claimedUser == null
          ? Future.failedFuture(new TokenRejectedException("field 'user' is required (the node runs without tokens)"))
          : Future.succeededFuture(Identity.trusted(claimedUser));
    }
    return tokens.verify(token).compose(identity -> claimedUser == null || claimedUser.equals(identity.user())
        ? Future.succeededFuture(identity)
        : Future.failedFuture(new TokenRejectedException("field 'user' does not match the token's sub")));
  }

  /**
   * @param presented a credential sent by a cluster service, maybe {@code null}
   * @return whether it is the configured service credential
   */
  public boolean isServiceCredential(String presented) {
    return service.matches(presented);
  }
}
