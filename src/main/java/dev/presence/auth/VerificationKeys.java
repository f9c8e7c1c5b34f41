package dev.presence.auth;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a node verifies tokens with, loaded once at start, before the node joins its cluster: the HS256 secret,
 * the PEM public key (read from its file), or the identity provider's key set (fetched from {@code
 * PRESENCE_JWT_JWKS_URL}). A node that cannot load them does not start: it would refuse every session, and joining
 * the cluster only to leave again makes Hazelcast move partitions to it and back. Immutable.
 */
public final class VerificationKeys {

  private static final Logger LOG = LoggerFactory.getLogger(VerificationKeys.class);

  private final PubSecKeyOptions fixedKey;
  private final JwksClient jwks;
  private final JwkSet initialSet;
  private final long refreshMs;

  private VerificationKeys(PubSecKeyOptions fixedKey, JwksClient jwks, JwkSet initialSet, long refreshMs) {
    this.fixedKey = fixedKey;
    this.jwks = jwks;
    this.initialSet = initialSet;
    this.refreshMs = refreshMs;
  }

  /**
   * Loads the keys. Call from a non-Vert.x thread (the node's start): it reads the PEM file, or fetches the key set,
   * before it returns (see {@link #fetchAtStart}).
   *
   * @param settings the node's auth settings
   * @return the keys (none in development mode); failed, with a message naming the setting, if the PEM file cannot
   *     be read or the key set cannot be fetched or holds no usable key
   */
  public static Future<VerificationKeys> load(AuthSettings settings) {
    if (settings.mode() != AuthMode.JWT) {
      return Future.succeededFuture(new VerificationKeys(null, null, null, 0));
    }
    if (settings.jwtSecret() != null) {
      return Future.succeededFuture(new VerificationKeys(
          new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.jwtSecret()), null, null, 0));
    }
    if (settings.jwtPublicKeyPath() != null) {
      try {
        String pem = Files.readString(Path.of(settings.jwtPublicKeyPath()));
        return Future.succeededFuture(new VerificationKeys(
            new PubSecKeyOptions().setAlgorithm(settings.jwtAlgorithm()).setBuffer(pem), null, null, 0));
      } catch (IOException e) {
        return Future.failedFuture(new IllegalStateException("cannot read PRESENCE_JWT_PUBLIC_KEY "
            + settings.jwtPublicKeyPath() + ": " + e, e));
      }
    }
    return fetchAtStart(new JwksClient(URI.create(settings.jwksUrl())), settings.jwksRefreshMs());
  }

  /**
   * Waits for the first fetch on the calling thread (at most {@link JwksClient#TIMEOUT} to connect and again to
   * answer). The node's start then goes on on that thread, not on the HTTP client's: its threads are daemons, and
   * Vert.x 5 threads inherit the daemon flag of the thread that creates them, so a start continued there could leave
   * {@code java -jar} with daemon threads only, and the process would exit as soon as {@code main} returned.
   */
  private static Future<VerificationKeys> fetchAtStart(JwksClient client, long refreshMs) {
    Throwable failure;
    try {
      JwkSet set = client.fetch().get(3 * JwksClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("key set fetched from {}: kids {}", client.url(), set.kids());
      set.skipped().forEach(line -> LOG.warn("key set {}: {} left out", client.url(), line));
      return Future.succeededFuture(new VerificationKeys(null, client, set, refreshMs));
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (TimeoutException e) {
      failure = e;
    }
    return Future.failedFuture(new IllegalStateException("cannot fetch the key set from PRESENCE_JWT_JWKS_URL "
        + client.url() + " (" + JwksClient.describe(failure) + "); a node does not start without the keys it verifies"
        + " tokens with", failure));
  }

  /**
   * @param vertx  the node's Vert.x
   * @param checks the claim checks every provider applies
   * @return the keys, as the verifier asks for them
   * @throws IllegalStateException in development mode (no keys)
   */
  TokenKeys bind(Vertx vertx, JWTOptions checks) {
    if (fixedKey != null) {
      JWTAuth provider = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(fixedKey).setJWTOptions(checks));
      return kid -> Future.succeededFuture(provider);
    }
    if (jwks == null) {
      throw new IllegalStateException("no keys: the node runs without tokens");
    }
    return new JwksKeys(jwks::fetch, initialSet, set -> provider(vertx, checks, set), InstantSource.system(),
        refreshMs, jwks.url().toString());
  }

  /**
   * @return a provider holding every key of {@code set}, each under its own algorithm
   */
  static JWTAuth provider(Vertx vertx, JWTOptions checks, JwkSet set) {
    return JWTAuth.create(vertx, new JWTAuthOptions().setJwks(set.keys()).setJWTOptions(checks));
  }
}
