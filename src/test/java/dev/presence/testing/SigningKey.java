package dev.presence.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An identity provider's signing key for tests: a fresh key pair from the JDK's {@link KeyPairGenerator}, its public
 * half as a JWK (RFC 7517, RFC 7518 §6) for a key set, and tokens signed with its private half by vertx-auth-jwt,
 * whose header carries the key's {@code kid}. Immutable; thread-safe.
 *
 * @param kid       the key id
 * @param algorithm {@code RS256} or {@code ES256}
 * @param keys      the key pair
 */
public record SigningKey(String kid, String algorithm, KeyPair keys) {

  private static final Vertx VERTX = Vertx.vertx();

  /** @return a new RSA 2048 key for RS256 */
  public static SigningKey rs256(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2_048);
      return new SigningKey(kid, "RS256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return a new P-256 key for ES256 */
  public static SigningKey es256(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new SigningKey(kid, "ES256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the public JWK, as an identity provider publishes it ({@code use: sig}, with {@code alg}) */
  public JsonObject jwk() {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig").put("alg", algorithm);
    if (keys.getPublic() instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("n", base64Url(rsa.getModulus(), 0))
          .put("e", base64Url(rsa.getPublicExponent(), 0));
    }
    ECPublicKey ec = (ECPublicKey) keys.getPublic();
    // RFC 7518 §6.2.1.2: the coordinates are the full length of the curve's field (32 octets for P-256).
    return jwk.put("kty", "EC").put("crv", "P-256").put("x", base64Url(ec.getW().getAffineX(), 32))
        .put("y", base64Url(ec.getW().getAffineY(), 32));
  }

  /** @return {@code claims} signed with this key; the header names its {@code kid} and {@code alg} */
  public String sign(JsonObject claims) {
    return signAs(kid, claims);
  }

  /** @return {@code claims} signed with this key, the header naming {@code headerKid} instead of its own */
  public String signAs(String headerKid, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(VERTX, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(algorithm).setId(headerKid).setBuffer(pem(keys.getPrivate().getEncoded()))));
    return signer.generateToken(claims.copy(), new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
  }

  private static String pem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** Unsigned big-endian, left-padded to {@code length} octets (0: as short as the number allows). */
  private static String base64Url(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (bytes.length < length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
