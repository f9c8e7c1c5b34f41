package dev.presence.auth;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.room.RoomGrants;
import dev.presence.session.UserIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies JWT access tokens (RFC 7519) with vertx-auth-jwt and turns them into an {@link Identity}.
 *
 * <p>The provider files each key under its one algorithm (HS256 for a secret, RS256 or ES256 for a PEM public key,
 * the {@code alg} of each key of a key set, {@link JwkSet}) and tries only the keys of the algorithm a token names,
 * so a token with {@code alg: none} or an algorithm no key has is refused (the algorithm-confusion attacks of RFC
 * 8725 §2.1). With a key set, a token whose {@code kid} the node has not seen may wait for one refetch
 * ({@link JwksKeys}). vertx-auth-jwt checks the signature, {@code exp},
 * {@code nbf} and {@code iat} with {@link #LEEWAY_S} of clock skew, the issuer and the audience (both required
 * settings). This class adds what the library leaves optional: {@code exp} must be present (a token without it would
 * open a session that never ends, and a {@code refresh} with one would lift a session's deadline), and the header
 * {@code typ} must match {@code PRESENCE_JWT_TYP} when that is set ({@link TokenHeader#typeMatches}). The user is
 * the {@code sub} claim, which must follow {@link UserIds}.
 *
 * <p>Threading: thread-safe; call {@link #verify} on the event loop that needs the answer. It is CPU work that
 * completes before it returns, except for a token with an unknown {@code kid} (key set only), whose answer comes
 * later, on that same event loop.
 */
public final class AccessTokenVerifier {

  /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} (s). */
  public static final int LEEWAY_S = 5;

  private final TokenKeys keys;
  private final String rolesClaim;
  private final String roomsClaim;
  private final String tokenType;

  /**
   * @param keys       where the provider for a token's {@code kid} comes from
   * @param rolesClaim the claim holding the roles array
   * @param tokenType  the required header {@code typ}, or {@code null}
   */
  AccessTokenVerifier(TokenKeys keys, String rolesClaim, String tokenType) {
    this(keys, rolesClaim, AuthSettings.DEFAULT_ROOMS_CLAIM, tokenType);
  }

  /**
   * @param keys       where the provider for a token's {@code kid} comes from
   * @param rolesClaim the claim holding the roles array
   * @param roomsClaim the claim listing the rooms the user may join or watch
   * @param tokenType  the required header {@code typ}, or {@code null}
   */
  AccessTokenVerifier(TokenKeys keys, String rolesClaim, String roomsClaim, String tokenType) {
    this.keys = keys;
    this.rolesClaim = rolesClaim;
    this.roomsClaim = roomsClaim;
    this.tokenType = tokenType;
  }

  /**
   * Builds the verifier of a node.
   *
   * @param vertx    the node's Vert.x
   * @param settings auth settings in mode JWT
   * @param keys     the keys loaded at start ({@link VerificationKeys#load})
   * @return the verifier
   * @throws IllegalArgumentException if the mode is not JWT
   */
  public static AccessTokenVerifier create(Vertx vertx, AuthSettings settings, VerificationKeys keys) {
    if (settings.mode() != AuthMode.JWT) {
      throw new IllegalArgumentException("no token verifier in mode " + settings.mode());
    }
    return new AccessTokenVerifier(keys.bind(vertx, checks(settings)), settings.rolesClaim(), settings.roomsClaim(),
        settings.tokenType());
  }

  /**
   * @param settings auth settings in mode JWT
   * @return the claim checks vertx-auth-jwt applies: clock skew, issuer and audience (AuthSettings refuses mode JWT
   *     without an issuer and an audience, so both checks always run)
   */
  static JWTOptions checks(AuthSettings settings) {
    return new JWTOptions().setLeeway(LEEWAY_S).setIssuer(settings.issuer()).addAudience(settings.audience());
  }

  /**
   * Verifies an access token: the token of a {@code hello}, {@code refresh} or {@code resume}, a bridge frame, or a
   * read API request.
   *
   * <p>A room token (one with a {@link #ROOM_CLAIM} claim, docs/protocol.md §12.3) is refused here, though it passes
   * the same signature and claim checks: the two kinds of token must not be accepted for each other (RFC 8725 §3.12,
   * mutually exclusive validation rules; §2.8 names the substitution it prevents). A backend that hands a room token
   * to a client, for an invitation link say, hands out a ticket to one room, not a login as its user.
   *
   * @param token the compact JWT, without a {@code Bearer } prefix; maybe {@code null}
   * @return the identity, or a failed future with {@link TokenRejectedException} saying why
   */
  public Future<Identity> verify(String token) {
    return verified(token).compose(user -> claims(user).containsKey(ROOM_CLAIM)
        ? Future.failedFuture(new TokenRejectedException("a room token is not an access token (it has a "
            + ROOM_CLAIM + " claim: send it in join.token)"))
        : identity(user));
  }

  /** The claim that makes a token a room token (docs/protocol.md §12.3): the one room it opens. */
  public static final String ROOM_CLAIM = "room";

  /**
   * Verifies a room token (docs/protocol.md §12.3) exactly as an access token (signature, algorithm, {@code exp},
   * {@code iss}, {@code aud}, {@code typ}, {@code sub}), and reads its {@code room} and optional {@code nick}.
   *
   * @param token the compact JWT; maybe {@code null}
   * @return the ticket, or a failed future with {@link TokenRejectedException} saying why (also when it has no string
   *     {@code room}, or a {@code nick} that is not a string)
   */
  public Future<RoomTicket> verifyRoomTicket(String token) {
    return verified(token).compose(user -> identity(user).compose(identity -> {
      JsonObject claims = claims(user);
      if (!(claims.getValue(ROOM_CLAIM) instanceof String room)) {
        return Future.failedFuture(new TokenRejectedException("a room token needs a string room claim"));
      }
      Object nick = claims.getValue("nick");
      if (nick != null && !(nick instanceof String)) {
        return Future.failedFuture(new TokenRejectedException("a room token's nick claim must be a string"));
      }
      return Future.succeededFuture(new RoomTicket(identity.user(), room, (String) nick, identity.tokenId(),
          identity.expiresAtMs()));
    }));
  }

  /** The checks every token passes, whatever it is for; the verified user (claims in its attributes). */
  private Future<User> verified(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new TokenRejectedException("a token is required"));
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(new TokenRejectedException("the token is longer than " + MAX_TOKEN_CHARS));
    }
    TokenHeader header = TokenHeader.parse(token).orElse(null);
    if (header == null) {
      return Future.failedFuture(new TokenRejectedException("the token is malformed"));
    }
    if (!header.typeMatches(tokenType)) {
      return Future.failedFuture(new TokenRejectedException("the token's typ header must be " + tokenType
          + " (PRESENCE_JWT_TYP)"));
    }
    return keys.forKid(header.kid()).compose(provider -> check(provider, token));
  }

  private Future<User> check(JWTAuth provider, String token) {
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
      return Future.succeededFuture(result.result());
    });
  }

  /** Tokens longer than this (characters) are refused unread: a token is at most a few KiB. */
  public static final int MAX_TOKEN_CHARS = 8_192;

  /**
   * vertx-auth-jwt keeps the verified payload in the user's {@code accessToken} attribute and copies the time
   * claims ({@code exp}, {@code iat}, {@code nbf}) into the attributes.
   */
  private static JsonObject claims(User user) {
    return user.attributes().getValue("accessToken") instanceof JsonObject payload ? payload : user.principal();
  }

  private Future<Identity> identity(User user) {
    JsonObject claims = claims(user);
    Object exp = user.attributes().containsKey("exp") ? user.attributes().getValue("exp") : claims.getValue("exp");
    if (!(exp instanceof Number expiry)) {
      return Future.failedFuture(new TokenRejectedException("the token has no exp claim; tokens must expire"));
    }
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
    RoomGrants rooms = claims.getValue(roomsClaim) instanceof JsonArray granted
        ? RoomGrants.fromClaim(granted.getList()) : RoomGrants.NONE;
    String tokenId = claims.getValue("jti") instanceof String jti && !jti.isBlank() ? jti : null;
    return Future.succeededFuture(new Identity(sub, roles, expiry.longValue() * 1_000, rooms, tokenId));
  }

  /**
   * vertx-auth-jwt's messages name the failed check ("Expired JWT token", "Invalid JWT audience"...), except for a
   * missing key, whose message echoes the token's {@code kid}: attacker text, not repeated.
   */
  private static String reason(Throwable cause) {
    if (cause instanceof NoSuchKeyIdException) {
      return "no key for its algorithm and kid";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
