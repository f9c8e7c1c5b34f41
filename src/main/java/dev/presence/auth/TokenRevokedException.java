package dev.presence.auth;

/**
 * A valid token refused because its user or its {@code jti} is revoked ({@link Revocation}). Answered like any
 * refused token ({@code unauthorized}, close 1008), and counted apart ({@code refused{reason=revoked}}).
 */
public final class TokenRevokedException extends TokenRejectedException {

  private static final long serialVersionUID = 1L;

  /** @param revocation the revocation that refused it */
  public TokenRevokedException(Revocation revocation) {
    super((revocation.kind() == Revocation.Kind.USER ? "the user's tokens are revoked" : "the token is revoked")
        + " until " + java.time.Instant.ofEpochMilli(revocation.untilMs()));
  }
}
