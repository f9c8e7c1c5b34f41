package dev.presence.auth;

import io.vertx.core.Future;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * Where the verifier gets the vertx-auth-jwt provider that holds the keys for a token: one fixed provider for a
 * secret or a PEM key, or the cached key set ({@link JwksKeys}), which may first refetch.
 *
 * <p>Threading: thread-safe; the future completes on the caller's Vert.x context (at once when no fetch is needed).
 */
interface TokenKeys {

  /**
   * @param kid the token header's {@code kid}, or {@code null}
   * @return the provider to verify the token with; never failed (without a key for {@code kid} the token is
   *     refused by the provider itself)
   */
  Future<JWTAuth> forKid(String kid);
}
