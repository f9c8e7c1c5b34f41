package dev.presence.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.testing.SigningKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * What a node takes from an identity provider's key set: public signature keys, each under one algorithm; secrets,
 * encryption keys and keys that do not fit their algorithm are left out, saying why.
 */
class JwkSetTest {

  private static final SigningKey RSA = SigningKey.rs256("rsa-1");
  private static final SigningKey EC = SigningKey.es256("ec-1");

  private static JsonObject set(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(java.util.List.of((Object[]) keys)));
  }

  @Test
  void a_provider_set_with_an_rsa_and_an_ec_key_gives_both_with_their_ids() {
    JwkSet set = JwkSet.parse(set(RSA.jwk(), EC.jwk()));

    assertThat(set.kids()).containsExactlyInAnyOrder("rsa-1", "ec-1");
    assertThat(set.keys()).extracting(key -> key.getString("alg")).containsExactly("RS256", "ES256");
    assertThat(set.skipped()).isEmpty();
  }

  @Test
  void a_secret_an_encryption_key_and_an_unknown_type_are_left_out_and_the_rest_is_kept() {
    JsonObject secret = new JsonObject().put("kty", "oct").put("kid", "hmac").put("alg", "HS256").put("k", "c2VjcmV0");
    JsonObject encryption = RSA.jwk().put("kid", "enc-1").put("use", "enc");
    JsonObject okp = new JsonObject().put("kty", "OKP").put("kid", "ed").put("crv", "Ed25519").put("x", "AAAA");
    JsonObject verifyOnlyNot = EC.jwk().put("kid", "ops").put("key_ops", new JsonArray().add("sign"));

    JwkSet set = JwkSet.parse(set(secret, encryption, okp, verifyOnlyNot, RSA.jwk()));

    assertThat(set.kids()).containsExactly("rsa-1");
    assertThat(set.skipped()).hasSize(4);
    assertThat(set.skipped().get(0)).contains("hmac").contains("symmetric");
    assertThat(set.skipped().get(1)).contains("enc-1").contains("use");
  }

  @Test
  void a_key_without_alg_gets_the_one_its_type_or_curve_implies_and_a_mismatched_curve_is_left_out() {
    JsonObject rsaNoAlg = RSA.jwk();
    rsaNoAlg.remove("alg");
    JsonObject ecNoAlg = EC.jwk();
    ecNoAlg.remove("alg");
    JsonObject ecWrongCurve = EC.jwk().put("kid", "ec-384").put("alg", "ES384");

    JwkSet set = JwkSet.parse(set(rsaNoAlg, ecNoAlg, ecWrongCurve));

    assertThat(set.keys()).extracting(key -> key.getString("alg")).containsExactly("RS256", "ES256");
    assertThat(set.skipped()).singleElement().asString().contains("ec-384").contains("P-256");
  }

  @Test
  void only_the_members_needed_to_verify_are_kept() {
    JsonObject published = RSA.jwk().put("x5c", new JsonArray().add("MIIC...")).put("d", "private");

    JsonObject kept = JwkSet.parse(set(published)).keys().get(0);

    assertThat(kept.fieldNames()).containsExactlyInAnyOrder("kty", "kid", "alg", "use", "n", "e");
  }

  @Test
  void a_document_that_is_not_a_key_set_or_holds_no_usable_key_is_refused_saying_why() {
    assertThatThrownBy(() -> JwkSet.parse(new JsonObject().put("issuer", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys");
    assertThatThrownBy(() -> JwkSet.parse(set(new JsonObject().put("kty", "oct").put("k", "c2VjcmV0"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key").hasMessageContaining("oct");
    assertThatThrownBy(() -> JwkSet.parse(set(RSA.jwk().put("n", "not base64url!"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("member n");
  }
}
