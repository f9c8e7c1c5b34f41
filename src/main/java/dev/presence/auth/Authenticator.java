package dev.presence.auth;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.List;

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
  private final ServiceCredential apiKeys;
  private final RevocationStore revocations;
  private final InstantSource clock;

  private Authenticator(AccessTokenVerifier tokens, ServiceCredential service, ServiceCredential apiKeys,
      RevocationStore revocations, InstantSource clock) {
    this.tokens = tokens;
    this.service = service;
    this.apiKeys = apiKeys;
    this.revocations = revocations;
    this.clock = clock;
  }

  /**
   * @param vertx    the node's Vert.x
   * @param settings the node's auth settings
   * @param keys     the keys loaded at start ({@link VerificationKeys#load})
   * @param apiKeys  the read API's keys ({@code PRESENCE_API_KEYS}), maybe empty
   * @param revocations the cluster's revocations
   * @param clock    wall clock (revocations end at epoch ms)
   * @return the authenticator
   */
  public static Authenticator create(Vertx vertx, AuthSettings settings, VerificationKeys keys,
      List<String> apiKeys, RevocationStore revocations, InstantSource clock) {
    return new Authenticator(
        settings.mode() == AuthMode.JWT ? AccessTokenVerifier.create(vertx, settings, keys) : null,
        new ServiceCredential(settings.serviceToken()), new ServiceCredential(apiKeys), revocations, clock);
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

  /**
   * Checks a room token presented with a {@code join} (docs/protocol.md §12.3): valid as an access token would be,
   * of this user, for this room, and not revoked (by user or {@code jti}).
   *
   * @param token the room token
   * @param user  the session's user
   * @param room  the room the session joins
   * @return the ticket; a failed future with {@link TokenRejectedException} (invalid, another user's, another room's,
   *     or the node verifies no tokens: development mode), {@link TokenRevokedException}, or
   *     {@code ClusterStoreException} if the revocations could not be read
   */
  public Future<RoomTicket> roomTicket(String token, String user, String room) {
    if (tokens == null) {
      return Future.failedFuture(new TokenRejectedException(
          "room tokens need PRESENCE_AUTH=jwt (this node verifies no tokens; any room may be joined)"));
    }
    return tokens.verifyRoomTicket(token).compose(ticket -> {
      if (!ticket.user().equals(user)) {
        return Future.failedFuture(new TokenRejectedException("the room token is another user's"));
      }
      if (!ticket.room().equals(room)) {
        return Future.failedFuture(new TokenRejectedException("the room token is for another room"));
      }
      return revocations.find(ticket.user(), ticket.tokenId(), clock.millis()).compose(revocation ->
          revocation == null ? Future.succeededFuture(ticket)
              : Future.failedFuture(new TokenRevokedException(revocation)));
    });
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

  /**
   * Who may read everyone's sessions, users, nicknames and rooms over the admin listener (docs/security.md): the
   * holder of an API key, or of a valid token with the role {@value AuthSettings#ADMIN_ROLE}. In development mode
   * (no tokens) without API keys the read API is open, as the node says at start. The service credential of the
   * event bus is not an API key: it travels only on the cluster's own bus.
   *
   * @param authorization the request's {@code Authorization} header, or {@code null}
   * @return the decision, on the calling event loop (at once for an API key; a token may wait for its key set)
   */
  public Future<ReadAccess> readAccess(String authorization) {
    Credential credential = Credential.parse(authorization);
    if (!(credential instanceof Credential.Bearer bearer)) {
      if (tokens == null && !apiKeys.isConfigured()) {
        return Future.succeededFuture(new ReadAccess.Granted("development mode"));
      }
      return Future.succeededFuture(new ReadAccess.Unauthenticated(
          "header 'authorization' must be 'Bearer <API key>'" + (tokens == null ? "" : " or 'Bearer <admin token>'")));
    }
    if (apiKeys.matches(bearer.token())) {
      return Future.succeededFuture(new ReadAccess.Granted("api key"));
    }
    if (tokens == null) {
      return Future.succeededFuture(apiKeys.isConfigured()
          ? new ReadAccess.Unauthenticated("not a configured API key")
          : new ReadAccess.Granted("development mode"));
    }
    // A revoked admin token reads nothing either (an unreadable revocation store refuses too: fail closed).
    return tokens.verify(bearer.token()).compose(this::notRevoked)
        .<ReadAccess>map(identity -> identity.isAdmin() ? new ReadAccess.Granted("admin " + identity.user())
            : new ReadAccess.Forbidden("the read API needs an API key or a token with the role "
                + AuthSettings.ADMIN_ROLE))
        .otherwise(t -> new ReadAccess.Unauthenticated("neither a configured API key nor a valid token"));
  }
}
