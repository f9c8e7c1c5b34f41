package dev.presence.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.AuthSettings;
import dev.presence.testing.JwksServer;
import dev.presence.testing.MutableClock;
import dev.presence.testing.SigningKey;
import dev.presence.testing.Tokens;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens verified with an identity provider's key set, served by a real HTTP server on loopback ({@link JwksServer})
 * and fetched by the node's real client: every key of the set verifies, a rotation is picked up by one refetch when
 * a token names the new {@code kid}, a storm of unknown {@code kid}s costs one fetch per interval, a provider that is
 * down leaves the cached keys working, a node that cannot fetch the set at start does not start, and no key verifies
 * a token of another algorithm. Time between fetches is a {@link MutableClock}: tests cross the interval by moving
 * it.
 */
class JwksKeysTest {

  private static final long REFRESH_MS = 60_000;
  private static final long WAIT_S = 10;

  static Vertx vertx;

  private final SigningKey rsa1 = SigningKey.rs256("rsa-1");
  private final SigningKey ec1 = SigningKey.es256("ec-1");
  private final SigningKey rsa2 = SigningKey.rs256("rsa-2");
  private final MutableClock clock = new MutableClock(1_000_000);
  private JwksServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A verifier as a node builds it, over {@link #server}, with the test's clock. */
  private AccessTokenVerifier verifier() throws Exception {
    AuthSettings settings = AuthSettings.jwks(server.url(), REFRESH_MS, Tokens.ISSUER, Tokens.AUDIENCE);
    JwksClient client = new JwksClient(URI.create(server.url()));
    JwkSet initial = client.fetch().get(WAIT_S, TimeUnit.SECONDS);
    JwksKeys keys = new JwksKeys(client::fetch, initial,
        set -> VerificationKeys.provider(vertx, AccessTokenVerifier.checks(settings), set), clock, REFRESH_MS,
        server.url());
    return new AccessTokenVerifier(keys, settings.rolesClaim(), settings.tokenType());
  }

  private static JsonObject claims(String sub) {
    return Tokens.claims(sub, 600);
  }

  @Test
  void every_key_of_the_set_verifies_its_tokens_without_another_fetch() throws Exception {
    server = JwksServer.start(rsa1, ec1);
    AccessTokenVerifier verifier = verifier();

    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");
    assertThat(await(verifier.verify(ec1.sign(claims("bob")))).user()).isEqualTo("bob");
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void after_a_rotation_the_new_kid_is_accepted_after_one_refetch_and_the_old_key_keeps_working() throws Exception {
    server = JwksServer.start(rsa1);
    AccessTokenVerifier verifier = verifier();
    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");

    server.serve(rsa1, rsa2); // the provider publishes its next key, then signs with it
    clock.advance(REFRESH_MS);

    assertThat(await(verifier.verify(rsa2.sign(claims("bob")))).user()).isEqualTo("bob");
    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");
    assertThat(await(verifier.verify(rsa2.sign(claims("carol")))).user()).isEqualTo("carol");
    assertThat(server.requests()).as("the start, and one refetch for rsa-2").isEqualTo(2);
  }

  @Test
  void a_new_kid_within_the_interval_after_the_last_fetch_is_refused_without_a_fetch() throws Exception {
    server = JwksServer.start(rsa1);
    AccessTokenVerifier verifier = verifier();
    server.serve(rsa1, rsa2);
    clock.advance(REFRESH_MS - 1);

    assertThat(failure(verifier.verify(rsa2.sign(claims("bob"))))).isInstanceOf(TokenRejectedException.class)
        .hasMessageContaining("no key").hasMessageNotContaining("rsa-2");
    assertThat(server.requests()).isEqualTo(1);

    clock.advance(1);
    assertThat(await(verifier.verify(rsa2.sign(claims("bob")))).user()).isEqualTo("bob");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void a_storm_of_unknown_kids_from_several_event_loops_costs_one_fetch_per_interval() throws Exception {
    server = JwksServer.start(rsa1);
    AccessTokenVerifier verifier = verifier();
    server.delayAnswers(300); // every storm token arrives while the one fetch is in flight
    clock.advance(REFRESH_MS);

    List<Throwable> storm = verifyOnEventLoops(verifier, 200, i -> rsa1.signAs("made-up-" + UUID.randomUUID(),
        claims("mallory")));

    assertThat(storm).hasSize(200).allMatch(failure -> failure instanceof TokenRejectedException);
    assertThat(server.requests()).as("the start and one refetch").isEqualTo(2);

    clock.advance(REFRESH_MS - 1);
    verifyOnEventLoops(verifier, 50, i -> rsa1.signAs("made-up-" + i, claims("mallory")));
    assertThat(server.requests()).as("still inside the interval").isEqualTo(2);

    clock.advance(1);
    verifyOnEventLoops(verifier, 50, i -> rsa1.signAs("made-up-again-" + i, claims("mallory")));
    assertThat(server.requests()).as("one more interval, one more fetch").isEqualTo(3);
    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");
  }

  @Test
  void a_token_with_a_new_kid_waits_for_the_fetch_and_is_answered_on_its_own_event_loop() throws Exception {
    server = JwksServer.start(rsa1);
    AccessTokenVerifier verifier = verifier();
    server.serve(rsa1, rsa2);
    server.delayAnswers(500);
    clock.advance(REFRESH_MS);
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Boolean> onCaller = new CompletableFuture<>();
    CompletableFuture<Identity> identity = new CompletableFuture<>();

    caller.runOnContext(v -> verifier.verify(rsa2.sign(claims("dave"))).onComplete(result -> {
      onCaller.complete(Vertx.currentContext() == caller && Context.isOnEventLoopThread());
      if (result.succeeded()) {
        identity.complete(result.result());
      } else {
        identity.completeExceptionally(result.cause());
      }
    }));

    assertThat(identity.get(WAIT_S, TimeUnit.SECONDS).user()).isEqualTo("dave");
    assertThat(onCaller.get(WAIT_S, TimeUnit.SECONDS)).as("answered on the caller's event loop").isTrue();
  }

  @Test
  void while_the_provider_is_down_cached_keys_keep_working_and_a_failed_refetch_changes_nothing() throws Exception {
    server = JwksServer.start(rsa1, ec1);
    AccessTokenVerifier verifier = verifier();

    server.stop();
    clock.advance(REFRESH_MS);
    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");
    assertThat(failure(verifier.verify(rsa2.sign(claims("bob"))))).as("fetch refused at connect")
        .isInstanceOf(TokenRejectedException.class);
    assertThat(await(verifier.verify(ec1.sign(claims("carol")))).user()).isEqualTo("carol");

    server.restart();
    server.answerWith(503);
    clock.advance(REFRESH_MS);
    assertThat(failure(verifier.verify(rsa2.sign(claims("bob"))))).as("fetch answered 503")
        .isInstanceOf(TokenRejectedException.class);
    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");

    server.answerWith(200);
    server.serve(new JsonObject().put("keys", new JsonArray()));
    clock.advance(REFRESH_MS);
    assertThat(failure(verifier.verify(rsa2.sign(claims("bob"))))).as("an empty set is not taken")
        .isInstanceOf(TokenRejectedException.class);
    assertThat(await(verifier.verify(rsa1.sign(claims("alice")))).user()).isEqualTo("alice");
    assertThat(server.requests()).as("the start, the 503 and the empty set").isEqualTo(3);
  }

  @Test
  void a_node_that_cannot_fetch_the_key_set_at_start_refuses_to_start_naming_the_setting() throws Exception {
    server = JwksServer.start(rsa1);
    String url = server.url();
    server.stop();

    Throwable down = failure(VerificationKeys.load(AuthSettings.jwks(url, REFRESH_MS, Tokens.ISSUER,
        Tokens.AUDIENCE)));
    assertThat(down).hasMessageContaining("PRESENCE_JWT_JWKS_URL").hasMessageContaining(url)
        .hasMessageContaining("does not start");

    server.restart();
    server.serve(new JsonObject().put("keys", new JsonArray().add(
        new JsonObject().put("kty", "oct").put("kid", "hmac").put("k", "c2VjcmV0"))));
    Throwable secretsOnly = failure(VerificationKeys.load(AuthSettings.jwks(url, REFRESH_MS, Tokens.ISSUER,
        Tokens.AUDIENCE)));
    assertThat(secretsOnly).hasMessageContaining("PRESENCE_JWT_JWKS_URL").hasMessageContaining("no key");
  }

  @Test
  void no_key_verifies_a_token_claiming_another_algorithm_and_alg_none_is_refused() throws Exception {
    server = JwksServer.start(rsa1, ec1);
    server.serve(new JsonObject().put("keys", new JsonArray().add(rsa1.jwk()).add(ec1.jwk())
        .add(new JsonObject().put("kty", "oct").put("kid", "hmac").put("alg", "HS256")
            .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.SECRET.getBytes())))));
    AccessTokenVerifier verifier = verifier();
    JsonObject eve = claims("eve");

    // HS256 keyed with the RSA key's published modulus: the classic confusion attack (RFC 8725 §2.1).
    String confused = Tokens.hs256WithHeader(rsa1.jwk().getString("n"), new JsonObject().put("kid", "rsa-1"), eve);
    // HS256 with the secret the set published as an oct key, which the node leaves out.
    String withPublishedSecret = Tokens.hs256WithHeader(Tokens.SECRET, new JsonObject().put("kid", "hmac"), eve);
    // A real RS256 signature, under the kid of the ES256 key.
    String crossedKid = rsa1.signAs("ec-1", eve);
    String unsigned = Tokens.unsigned(eve);

    for (String token : List.of(confused, withPublishedSecret, crossedKid, unsigned)) {
      assertThat(failure(verifier.verify(token))).isInstanceOf(TokenRejectedException.class);
    }
    assertThat(server.requests()).as("no refetch: within the interval after start").isEqualTo(1);
  }

  /** Verifies {@code count} tokens at once, spread over four event loops; @return each one's failure (or null) */
  private static List<Throwable> verifyOnEventLoops(AccessTokenVerifier verifier, int count,
      IntFunction<String> token) throws Exception {
    List<Context> loops = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext(),
        vertx.getOrCreateContext(), vertx.getOrCreateContext());
    Set<Throwable> offLoop = ConcurrentHashMap.newKeySet();
    // All signed before the first is sent, so that they arrive together (RSA signing takes a millisecond or two).
    List<String> tokens = IntStream.range(0, count).mapToObj(token).toList();
    List<CompletableFuture<Throwable>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Context loop = loops.get(i % loops.size());
      String signed = tokens.get(i);
      CompletableFuture<Throwable> result = new CompletableFuture<>();
      results.add(result);
      loop.runOnContext(v -> verifier.verify(signed).onComplete(done -> {
        if (Vertx.currentContext() != loop) {
          offLoop.add(new AssertionError("answered off its event loop"));
        }
        result.complete(done.failed() ? done.cause() : null);
      }));
    }
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<Throwable> result : results) {
      failures.add(result.get(WAIT_S, TimeUnit.SECONDS));
    }
    assertThat(offLoop).isEmpty();
    return failures;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure)
        .get(WAIT_S, TimeUnit.SECONDS);
  }
}
