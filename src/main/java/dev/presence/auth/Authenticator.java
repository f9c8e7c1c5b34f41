package dev.presence.auth;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;

/**
 * The node's one answer to "who is this?", for WebSocket sessions and bridge sockets alike: with tokens (mode
 * JWT) the verified token's {@code sub}; in development mode (NONE) the user the client names. Either is then
 * checked against the cluster's revocations ({@link Revocation}): every path that accepts a token (hello, refresh,
 * resume, bridge frames, event-bus callers) comes through here, so none can skip that check.
 *
 * <p>Threading: thread-safe; call on the event loop that needs the answer, which comes on that event loop: at once,
 * except for a token naming a key not fetched yet ({@link AccessTokenVerifier}).
 */
public final class Authenticator {

  private final AccessTokenVerifier tokens;
  private final ServiceCredential service;
  private final RevocationStore revocations;
  private final InstantSource clock;

  private Authenticator(AccessTokenVerifier tokens, ServiceCredential service, RevocationStore revocations,
      InstantSource clock) {
    this.tokens = tokens;
    this.service = service;
    this.revocations = revocations;
    this.clock = clock;
  }

  /**
   * @param vertx    the node's Vert.x
   * @param settings the node's auth settings
   * @param keys     the keys loaded at start ({@link VerificationKeys#load})
   * @param revocations the cluster's revocations
   * @param clock    wall clock (revocations end at epoch ms)
   * @return the authenticator
   */
  public static Authenticator create(Vertx vertx, AuthSettings settings, VerificationKeys keys,
      RevocationStore revocations, InstantSource clock) {
    return new Authenticator(
        settings.mode() == AuthMode.JWT ? AccessTokenVerifier.create(vertx, settings, keys) : null,
        new ServiceCredential(settings.serviceToken()), revocations, clock);
  }

  /** @return whether callers must present a token (mode JWT) */
  public boolean tokensRequired() {
    return tokens != null;
  }

  /**
   * @param token       the presented access token, or {@code null}
   * @param claimedUser the user the client names ({@code hello.user}), or {@code null}
   * @return the identity; a failed future with {@link TokenRejectedException} if the token is missing or invalid,
   *     or names another {@code sub} than {@code claimedUser}, with {@link TokenRevokedException} if its user or
   *     {@code jti} is revoked, with {@code ClusterStoreException} if the revocations could not be read (fail
   *     closed: the caller answers {@code unavailable}); in development mode the token is ignored and
   *     {@code claimedUser} is required (and checked against user revocations)
   */
  public Future<Identity> authenticate(String token, String claimedUser) {
    if (tokens == null) {
      return claimedUser == null
          ? Future.failedFuture(new TokenRejectedException("field 'user' is required (the node runs without tokens)"))
          : notRevoked(Identity.trusted(claimedUser));
    }
    return tokens.verify(token).compose(identity -> claimedUser == null || claimedUser.equals(identity.user())
        ? notRevoked(identity)
        : Future.failedFuture(new TokenRejectedException("field 'user' does not match the token's sub")));
  }

  /** One cluster read (two keys at most), after the signature: a forged token costs the cluster nothing. */
  private Future<Identity> notRevoked(Identity identity) {
    return revocations.find(identity.user(), identity.tokenId(), clock.millis()).compose(revocation ->
        revocation == null ? Future.succeededFuture(identity)
            : Future.failedFuture(new TokenRevokedException(revocation)));
  }

  /**
   * @param presented a credential sent by a cluster service, maybe {@code null}
   * @return whether it is the configured service credential
   */
  public boolean isServiceCredential(String presented) {
    return service.matches(presented);
  }
}
