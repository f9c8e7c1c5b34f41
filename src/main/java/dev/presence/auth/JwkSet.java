package dev.presence.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An identity provider's JSON Web Key Set (RFC 7517 §5), reduced to the keys this node verifies access tokens with:
 * public signature keys of an asymmetric algorithm, each with exactly one algorithm. vertx-auth-jwt files a key under
 * its algorithm and tries only the keys of the algorithm a token's header names, so a key of one algorithm never
 * verifies a token claiming another, and {@code alg: none} or HS256 finds no key (RFC 8725 §2.1, §3.1). Immutable.
 *
 * <p>Each kept key is rewritten with only the members needed to verify ({@code kty}, {@code kid}, {@code alg} and
 * the public numbers): an {@code x5c} chain is dropped (the library would check its dates and silently skip a key
 * whose certificate expired), and so is a private member published by mistake.
 *
 * @param keys    the kept keys, in the set's order, each with its {@code alg} filled in
 * @param kids    the {@code kid}s of the kept keys
 * @param skipped one line per key left out, saying why (for the log)
 */
record JwkSet(List<JsonObject> keys, Set<String> kids, List<String> skipped) {

  /** Accepted signature algorithms by key type (RFC 7518 §3.1); the first is assumed when a key names none. */
  private static final Map<String, List<String>> ALGORITHMS = Map.of(
      "RSA", List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
      "EC", List.of("ES256", "ES384", "ES512"));

  /** The curve each ECDSA algorithm signs on (RFC 7518 §3.4); a key without {@code alg} gets its curve's. */
  private static final Map<String, String> CURVE_ALGORITHMS = Map.of("P-256", "ES256", "P-384", "ES384",
      "P-521", "ES512");

  /** Copies the collections. */
  JwkSet {
    keys = List.copyOf(keys);
    kids = Set.copyOf(kids);
    skipped = List.copyOf(skipped);
  }

  /**
   * @param document the fetched JSON document
   * @return the usable keys
   * @throws IllegalArgumentException if the document is not a key set, or holds no usable key (saying why each was
   *     left out)
   */
  static JwkSet parse(JsonObject document) {
    if (!(document.getValue("keys") instanceof JsonArray entries)) {
      throw new IllegalArgumentException("not a JWK set: no \"keys\" array (RFC 7517 section 5)");
    }
    List<JsonObject> keys = new ArrayList<>();
    Set<String> kids = new LinkedHashSet<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject jwk)) {
        skipped.add("key #" + i + ": not a JSON object");
        continue;
      }
      String refusal = refusal(jwk);
      if (refusal != null) {
        skipped.add((jwk.getValue("kid") instanceof String kid ? "key '" + kid + "'" : "key #" + i) + ": " + refusal);
        continue;
      }
      JsonObject kept = verificationMembers(jwk);
      keys.add(kept);
      if (kept.getString("kid") != null) {
        kids.add(kept.getString("kid"));
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the key set holds no key to verify tokens with"
          + (skipped.isEmpty() ? "" : ": " + String.join("; ", skipped)));
    }
    return new JwkSet(keys, kids, skipped);
  }

  /** @return why the key cannot verify access tokens here, or {@code null} if it can */
  private static String refusal(JsonObject jwk) {
    if (jwk.containsKey("kid") && !(jwk.getValue("kid") instanceof String)) {
      return "kid is not a string";
    }
    if (jwk.containsKey("use") && !"sig".equals(jwk.getValue("use"))) {
      return "use is not sig (RFC 7517 section 4.2)";
    }
    if (jwk.getValue("key_ops") instanceof JsonArray ops && !ops.contains("verify")) {
      return "key_ops lacks verify (RFC 7517 section 4.3)";
    }
    Object kty = jwk.getValue("kty");
    if ("oct".equals(kty)) {
      // A secret in a published set would let whoever reads the set sign tokens.
      return "a symmetric key (kty oct): only public keys are taken from a key set";
    }
    if (!(kty instanceof String type) || !ALGORITHMS.containsKey(type)) {
      return "key type " + kty + " is not supported (RSA or EC)";
    }
    if (jwk.containsKey("alg") && !(jwk.getValue("alg") instanceof String)) {
      return "alg is not a string";
    }
    String alg = algorithm(jwk);
    if (alg == null) {
      return "no alg, and curve " + jwk.getValue("crv") + " implies none (RFC 7518 section 3.4)";
    }
    if (!ALGORITHMS.get(type).contains(alg)) {
      return "algorithm " + alg + " is not one of " + ALGORITHMS.get(type) + " for kty " + type;
    }
    if ("EC".equals(type) && !alg.equals(curveAlgorithm(jwk))) {
      return "curve " + jwk.getValue("crv") + " does not sign " + alg + " (RFC 7518 section 3.4)";
    }
    for (String member : "RSA".equals(type) ? List.of("n", "e") : List.of("x", "y")) {
      if (!isBase64Url(jwk.getValue(member))) {
        return "member " + member + " is missing or not base64url";
      }
    }
    return null;
  }

  /** The key's {@code alg}, or the one its type (RSA: RS256) or curve (EC) implies when it names none. */
  private static String algorithm(JsonObject jwk) {
    if (jwk.getValue("alg") instanceof String alg) {
      return alg;
    }
    return "EC".equals(jwk.getValue("kty")) ? curveAlgorithm(jwk) : ALGORITHMS.get(jwk.getString("kty")).get(0);
  }

  /** @return the algorithm the key's {@code crv} signs, or {@code null} for no or another curve */
  private static String curveAlgorithm(JsonObject jwk) {
    return jwk.getValue("crv") instanceof String crv ? CURVE_ALGORITHMS.get(crv) : null;
  }

  private static JsonObject verificationMembers(JsonObject jwk) {
    String kty = jwk.getString("kty");
    JsonObject kept = new JsonObject().put("kty", kty).put("alg", algorithm(jwk)).put("use", "sig");
    if (jwk.getValue("kid") instanceof String kid) {
      kept.put("kid", kid);
    }
    for (String member : "RSA".equals(kty) ? List.of("n", "e") : List.of("crv", "x", "y")) {
      kept.put(member, jwk.getString(member));
    }
    return kept;
  }

  private static boolean isBase64Url(Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return false;
    }
    try {
      Base64.getUrlDecoder().decode(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
