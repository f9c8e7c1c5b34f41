package dev.presence.auth;

/**
 * A revocation (docs/security.md, "Revocation"): until {@code untilMs}, the node refuses every token of a user, or
 * the one token with a given {@code jti}, wherever it is presented: {@code hello}, {@code refresh}, a resume, a
 * bridge frame. A kick ends the sessions that are open; a revocation keeps their user from coming straight back
 * with the same token. How long one may last is bounded by {@code PRESENCE_MAX_REVOCATION_MS} ({@code
 * AuthSettings#maxRevocationMs()}), so the revocation map cannot grow without bound. Immutable.
 *
 * @param kind    what is revoked
 * @param value   the user id (in its stored NFC form) or the token's {@code jti}
 * @param untilMs epoch ms the revocation ends
 */
public record Revocation(Kind kind, String value, long untilMs) {

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
