package dev.presence.auth;

/**
 * A revocation (docs/security.md, "Revocation"): until {@code untilMs}, the node refuses every token of a user, or
 * the one token with a given {@code jti}, wherever it is presented: {@code hello}, {@code refresh}, a resume, a
 * bridge frame. A kick ends the sessions that are open; a revocation keeps their user from coming straight back
 * with the same token. Immutable.
 *
 * @param kind    what is revoked
 * @param value   the user id (in its stored NFC form) or the token's {@code jti}
 * @param untilMs epoch ms the revocation ends
 */
public record Revocation(Kind kind, String value, long untilMs) {

  /**
   * Longest revocation (ms): 7 days. Bounds the revocation map (every entry expires by then) and is longer than any
   * sensible access token lifetime, so a token revoked by {@code jti} expires before its revocation does.
   */
  public static final long MAX_DURATION_MS = 7L * 24 * 60 * 60 * 1_000;

  /** What a revocation names. */
  public enum Kind {
    /** Every token of a user (a ban): a fresh token of the user is refused too, until the revocation ends. */
    USER("user"),
    /** One token, by its {@code jti} (a leaked or logged-out token): the user's other tokens still work. */
    JTI("jti");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    /** @return the JSON field and key prefix naming this kind */
    public String field() {
      return field;
    }
  }

  /** @return the map key: kind and value, so that a user id and a jti never collide */
  public String key() {
    return key(kind, value);
  }

  /**
   * @param kind  what is revoked
   * @param value the user id or jti
   * @return the map key of such a revocation
   */
  public static String key(Kind kind, String value) {
    return kind.field() + ":" + value;
  }
}
