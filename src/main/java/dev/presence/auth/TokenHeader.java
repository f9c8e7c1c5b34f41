package dev.presence.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What the node reads from a JWT's JOSE header (RFC 7515 §4) before it verifies anything: {@code kid}, to pick or
 * fetch the key, and {@code typ}, to refuse a token of another type. Nothing here is trusted yet; a forged header
 * only chooses which check refuses the token. Immutable.
 *
 * @param kid the key id, or {@code null} if absent
 * @param typ the type, or {@code null} if absent
 */
record TokenHeader(String kid, String typ) {

  /**
   * @param token a compact JWS ({@code header.payload.signature})
   * @return the header, or empty if the first segment is not base64url JSON with string {@code kid} and {@code typ}
   */
  static Optional<TokenHeader> parse(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    try {
      JsonObject header = new JsonObject(
          new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
      Object kid = header.getValue("kid");
      Object typ = header.getValue("typ");
      if ((kid != null && !(kid instanceof String)) || (typ != null && !(typ instanceof String))) {
        return Optional.empty();
      }
      return Optional.of(new TokenHeader((String) kid, (String) typ));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code typ} rule of RFC 7515 §4.1.9: a media type, compared case-insensitively (RFC 2045 §5.1), where a value
   * without a {@code /} stands for {@code application/} plus that value. So with {@code at+jwt} required, both
   * {@code at+jwt} and {@code application/at+jwt} pass, as RFC 9068 §2.1 asks of a resource server.
   *
   * @param required the configured type ({@code PRESENCE_JWT_TYP}), or {@code null} for no rule
   * @return whether this header passes
   */
  boolean typeMatches(String required) {
    return required == null || typ != null && mediaType(required.trim()).equalsIgnoreCase(mediaType(typ.trim()));
  }

  private static String mediaType(String typ) {
    return typ.indexOf('/') < 0 ? "application/" + typ : typ;
  }
}
