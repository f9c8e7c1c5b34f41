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
  void a_token_without_exp_is_refused_naming_exp_because_its_session_would_never_end() throws Exception {
    AccessTokenVerifier verifier = hs256Verifier(null);
    JsonObject claims = Tokens.claims("carol", 600);
    claims.remove("exp");

    Throwable refused = failure(verifier.verify(Tokens.hs256(Tokens.SECRET, claims)));

    assertThat(refused).isInstanceOf(TokenRejectedException.class).hasMessageContaining("exp")
        .hasMessageNotContaining("eyJ");
    assertThat(await(verifier.verify(Tokens.valid("carol"))).expiresAtMs()).isPositive();
  }

  @Test
  void a_room_token_is_no_access_token_and_an_access_token_is_no_room_token() throws Exception {
    AccessTokenVerifier verifier = hs256Verifier(null);
    String roomToken = Tokens.hs256(Tokens.SECRET, Tokens.claims("fay", 600).put("room", "#vip"));

    assertThat(await(verifier.verifyRoomTicket(roomToken)).room()).isEqualTo("#vip");
    assertThat(failure(verifier.verify(roomToken))).as("a room token presented as an access token")
        .isInstanceOf(TokenRejectedException.class).hasMessageContaining("room token")
        .hasMessageNotContaining("eyJ");
    assertThat(failure(verifier.verifyRoomTicket(Tokens.valid("fay")))).as("an access token presented as a room token")
        .isInstanceOf(TokenRejectedException.class).hasMessageContaining("room claim");
  }

  @Test
  void a_token_of_another_issuer_or_for_another_audience_is_refused() throws Exception {
    AccessTokenVerifier verifier = hs256Verifier(null);
    JsonObject noIssuer = Tokens.claims("dan", 600);
    noIssuer.remove("iss");
    JsonObject noAudience = Tokens.claims("dan", 600);
    noAudience.remove("aud");

    for (JsonObject claims : List.of(noIssuer, noAudience, Tokens.claims("dan", 600).put("iss", "https://other"),
        Tokens.claims("dan", 600).put("aud", "billing"))) {
      assertThat(failure(verifier.verify(Tokens.hs256(Tokens.SECRET, claims)))).as("%s", claims)
          .isInstanceOf(TokenRejectedException.class);
    }
  }

  @Test
  void with_a_required_typ_only_tokens_of_that_media_type_pass_with_or_without_the_application_prefix()
      throws Exception {
    AccessTokenVerifier verifier = hs256Verifier("at+jwt");
    JsonObject claims = Tokens.claims("erin", 600);

    for (String typ : List.of("at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT")) {
      String token = Tokens.hs256WithHeader(Tokens.SECRET, new JsonObject().put("typ", typ), claims);
      assertThat(await(verifier.verify(token)).user()).as("typ %s", typ).isEqualTo("erin");
    }
    for (String typ : List.of("JWT", "application/jwt", "at+jwt2", "text/at+jwt")) {
      String token = Tokens.hs256WithHeader(Tokens.SECRET, new JsonObject().put("typ", typ), claims);
      assertThat(failure(verifier.verify(token))).as("typ %s", typ)
          .isInstanceOf(TokenRejectedException.class).hasMessageContaining("typ");
    }
    assertThat(failure(verifier.verify(Tokens.hs256WithHeader(Tokens.SECRET, new JsonObject(), claims))))
        .as("no typ at all").hasMessageContaining("typ");
    assertThat(await(hs256Verifier(null).verify(Tokens.valid("erin"))).user())
        .as("without the setting, typ JWT passes").isEqualTo("erin");
  }

  @Test
  void the_sub_is_normalized_to_nfc_and_a_sub_that_hides_white_space_or_controls_is_refused() throws Exception {
    AccessTokenVerifier verifier = hs256Verifier(null);
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
    return create(new AuthSettings(AuthMode.JWT, null, pem.toString(), algorithm, Tokens.ISSUER, Tokens.AUDIENCE,
        rolesClaim, List.of(), false, null));
  }

  private static AccessTokenVerifier hs256Verifier(String tokenType) throws Exception {
    return create(new AuthSettings(AuthMode.JWT, Tokens.SECRET, null, "RS256", null,
        AuthSettings.DEFAULT_JWKS_REFRESH_MS, Tokens.ISSUER, Tokens.AUDIENCE, tokenType, "roles", List.of(), false,
        null, null));
  }

  private static AccessTokenVerifier create(AuthSettings settings) throws Exception {
    return AccessTokenVerifier.create(vertx, settings, await(VerificationKeys.load(settings)));
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
