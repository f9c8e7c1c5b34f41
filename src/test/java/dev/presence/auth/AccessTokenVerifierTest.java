package dev.presence.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.testing.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Public-key modes with real keys and real vertx-auth-jwt: RS256 and ES256 tokens verify against a PEM public
 * key, and the algorithm-confusion attack (an HS256 token whose HMAC key is the public key's PEM text, RFC 8725
 * §2.1) is refused. Roles come from the configured claim.
 */
class AccessTokenVerifierTest {

  static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @Test
  void rs256_tokens_verify_against_the_public_key_and_the_hs256_confusion_attack_is_refused() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    AccessTokenVerifier verifier = verifier(keys, "RS256", "roles");

    Identity alice = await(verifier.verify(sign(keys, "RS256", Tokens.claims("alice", 600)
        .put("roles", new JsonArray(List.of("presence-admin"))))));
    assertThat(alice.user()).isEqualTo("alice");
    assertThat(alice.isAdmin()).isTrue();

    String confused = Tokens.hs256(pem("PUBLIC KEY", keys.getPublic().getEncoded()), Tokens.claims("eve", 600));
    assertThat(failure(verifier.verify(confused))).isInstanceOf(TokenRejectedException.class);
    assertThat(failure(verifier.verify(Tokens.unsigned(Tokens.claims("eve", 600)))))
        .isInstanceOf(TokenRejectedException.class);
  }

  @Test
  void es256_tokens_verify_and_roles_come_from_the_configured_claim() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    AccessTokenVerifier verifier = verifier(keys, "ES256", "groups");

    Identity bob = await(verifier.verify(sign(keys, "ES256", Tokens.claims("bob", 600)
        .put("groups", new JsonArray(List.of("presence-admin", "staff"))).put("roles", new JsonArray()))));
    assertThat(bob.roles()).containsExactlyInAnyOrder("presence-admin", "staff");
    assertThat(bob.expiresAtMs()).isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void another_key_pair_of_the_same_algorithm_is_refused() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    AccessTokenVerifier verifier = verifier(rsa.generateKeyPair(), "RS256", "roles");
    String forged = sign(rsa.generateKeyPair(), "RS256", Tokens.claims("eve", 600));
    assertThat(failure(verifier.verify(forged))).hasMessageContaining("not valid");
  }

  @Test
  void the_sub_is_normalized_to_nfc_and_a_sub_that_hides_white_space_or_controls_is_refused() throws Exception {
    AccessTokenVerifier verifier = AccessTokenVerifier.create(vertx, new AuthSettings(AuthMode.JWT, Tokens.SECRET,
        null, null, null, null, "roles", List.of(), false, null));
    // "José" with a combining acute is the user "José" with a precomposed é (one user, however the IdP wrote it).
    Identity jose = await(verifier.verify(Tokens.hs256(Tokens.SECRET, Tokens.claims("Jose\u0301", 600))));
    assertThat(jose.user()).isEqualTo("Jos\u00E9");

    assertThat(failure(verifier.verify(Tokens.hs256(Tokens.SECRET, Tokens.claims("alice ", 600)))))
        .isInstanceOf(TokenRejectedException.class)
        .hasMessage("the token's sub must not begin or end with white space");
    assertThat(failure(verifier.verify(Tokens.hs256(Tokens.SECRET, Tokens.claims("ali\u200Bce", 600)))))
        .hasMessageStartingWith("the token's sub must not contain control, format");
    assertThat(failure(verifier.verify(Tokens.hs256(Tokens.SECRET, Tokens.claims("", 600)))))
        .hasMessage("the token's sub must not be empty");
  }

  private AccessTokenVerifier verifier(KeyPair keys, String algorithm, String rolesClaim) throws Exception {
    Path pem = Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    return AccessTokenVerifier.create(vertx, new AuthSettings(AuthMode.JWT, null, pem.toString(), algorithm, null,
        null, rolesClaim, List.of(), false, null));
  }

  private static String sign(KeyPair keys, String algorithm, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(algorithm).setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get();
  }

  private static Throwable failure(Future<?> future) {
    return future.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).join();
  }
}
