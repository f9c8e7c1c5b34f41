package dev.presence.auth;

/**
 * A token was refused: missing, malformed, {@code alg: none} or another algorithm than configured, bad
 * signature, wrong issuer, audience or {@code typ}, no {@code exp}, expired or not yet valid, or no usable
 * {@code sub}; or revoked ({@link TokenRevokedException}). The message says which, for the log and the client's
 * {@code error} frame; it never echoes the token.
 */
public class TokenRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param reason why, in English */
  public TokenRejectedException(String reason) {
    super(reason, null, false, false);
  }
}
