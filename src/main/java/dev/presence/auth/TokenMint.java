package dev.presence.auth;

import dev.presence.config.PresenceConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Mints an HS256 access token for development and demos, signed with {@code PRESENCE_JWT_SECRET} from the
 * environment (so the secret never appears in the process list). Prints the token on stdout. Every token carries
 * {@code exp} (nodes refuse a token without one); a node in mode JWT also requires the {@code iss} and {@code aud}
 * it is configured with ({@code PRESENCE_JWT_ISSUER}, {@code PRESENCE_JWT_AUDIENCE}), so pass them.
 *
 * <pre>
 * PRESENCE_JWT_SECRET=... java -cp target/presence-node.jar dev.presence.auth.TokenMint \
 *     --sub alice --iss ISSUER --aud AUDIENCE [--role presence-admin] [--room 'team:*'] [--ttl-s 3600]
 * </pre>
 *
 * {@code --role} and {@code --room} repeat; each {@code --room} is one entry of the {@code rooms} claim (a room name,
 * a {@code prefix*} pattern, or either behind {@code watch:}: docs/protocol.md §12). The dashboard's operator token
 * needs {@code --room 'watch:*'} to show a room's members (docs/dashboard.md).
 *
 * The header {@code typ} is always {@code JWT} (vertx-auth-jwt writes it), so a node with {@code PRESENCE_JWT_TYP}
 * set refuses these tokens. Production tokens come from the identity provider, not from here.
 */
public final class TokenMint {

  private TokenMint() {
  }

  /**
   * @param args see the class comment
   */
  public static void main(String[] args) {
    String secret = PresenceConfigLoader.jwtSecretFromEnvironment();
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      System.err.println("set PRESENCE_JWT_SECRET (at least 32 bytes) in the environment");
      System.exit(2);
    }
    String sub = null;
    String issuer = null;
    String audience = null;
    int ttlSeconds = 3_600;
    List<String> roles = new ArrayList<>();
    List<String> rooms = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sub" -> sub = args[i + 1];
        case "--role" -> roles.add(args[i + 1]);
        case "--room" -> rooms.add(args[i + 1]);
        case "--ttl-s" -> ttlSeconds = Integer.parseInt(args[i + 1]);
        case "--iss" -> issuer = args[i + 1];
        case "--aud" -> audience = args[i + 1];
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (sub == null || ttlSeconds <= 0) {
      System.err.println("usage: TokenMint --sub USER --iss ISSUER --aud AUDIENCE [--role ROLE]... [--room ROOM]..."
          + " [--ttl-s SECONDS]"
          + " (SECONDS > 0)");
      System.exit(2);
    }
    if (issuer == null || audience == null) {
      System.err.println("warning: no --iss or --aud; a node in mode jwt refuses a token without the issuer and"
          + " audience it is configured with");
    }
    System.out.println(mint(secret, sub, roles, rooms, ttlSeconds, issuer, audience));
  }

  /**
   * @param secret     HS256 secret (at least 32 bytes)
   * @param sub        the user
   * @param roles      roles for the {@code roles} claim
   * @param ttlSeconds lifetime (s), more than 0: the token's {@code exp} is now plus this
   * @param issuer     {@code iss} or {@code null}
   * @param audience   {@code aud} or {@code null}
   * @return the compact JWT
   * @throws IllegalArgumentException if {@code ttlSeconds} is not positive (vertx-auth-jwt would then write no
   *     {@code exp}, and nodes refuse such a token)
   */
  public static String mint(String secret, String sub, List<String> roles, int ttlSeconds, String issuer,
      String audience) {
    return mint(secret, sub, roles, List.of(), ttlSeconds, issuer, audience);
  }

  /**
   * As {@link #mint(String, String, List, int, String, String)}, with a {@code rooms} claim.
   *
   * @param rooms entries of the {@code rooms} claim (docs/protocol.md §12); empty: no claim, so no room
   * @return the compact JWT
   */
  public static String mint(String secret, String sub, List<String> roles, List<String> rooms, int ttlSeconds,
      String issuer, String audience) {
    if (ttlSeconds <= 0) {
      throw new IllegalArgumentException("ttlSeconds must be > 0, was " + ttlSeconds);
    }
    Vertx vertx = Vertx.vertx();
    try {
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
      JWTOptions options = new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds).setSubject(sub);
      if (issuer != null) {
        options.setIssuer(issuer);
      }
      if (audience != null) {
        options.addAudience(audience);
      }
      JsonObject claims = new JsonObject().put("roles", new JsonArray(roles));
      if (!rooms.isEmpty()) {
        claims.put("rooms", new JsonArray(rooms));
      }
      return auth.generateToken(claims, options);
    } finally {
      vertx.close();
    }
  }
}
