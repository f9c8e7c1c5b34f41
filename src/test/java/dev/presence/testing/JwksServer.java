package dev.presence.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real identity provider's key-set endpoint for tests: a Vert.x {@link HttpServer} on a free loopback port that
 * serves a JWK set (RFC 7517 §5) at {@link #url()}, counts the requests it gets, and can rotate its keys, answer
 * slowly, answer with an error status, or go away (stop listening) and come back on the same port. Thread-safe: the
 * test thread changes what is served while the server's event loop answers.
 */
public final class JwksServer implements AutoCloseable {

  private static final String PATH = "/realms/presence/protocol/openid-connect/certs";

  private final Vertx vertx;
  private final int port;
  private final AtomicReference<JsonObject> document = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long delayMs;
  private volatile int status = 200;
  private volatile HttpServer server;

  private JwksServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /**
   * @param keys the keys served at first
   * @return the server, listening
   */
  public static JwksServer start(SigningKey... keys) {
    JwksServer jwks = new JwksServer(Vertx.vertx(), FreePorts.next());
    jwks.serve(keys);
    jwks.listen();
    return jwks;
  }

  /** @return the key set's URL */
  public String url() {
    return "http://127.0.0.1:" + port + PATH;
  }

  /** Serves these keys from now on (a rotation). */
  public void serve(SigningKey... keys) {
    serve(new JsonObject().put("keys", new JsonArray(Arrays.stream(keys).map(SigningKey::jwk).toList())));
  }

  /** Serves this document from now on. */
  public void serve(JsonObject keySet) {
    document.set(keySet);
  }

  /** @return requests answered or being answered since start */
  public int requests() {
    return requests.get();
  }

  /** @param ms how long each answer waits from now on */
  public void delayAnswers(long ms) {
    delayMs = ms;
  }

  /** @param code the HTTP status of every answer from now on (200 serves the key set) */
  public void answerWith(int code) {
    status = code;
  }

  /** Stops listening: a fetch is refused at connect, as when the identity provider is down. */
  public void stop() {
    await(server.close());
  }

  /** Listens again, on the same port. */
  public void restart() {
    listen();
  }

  private void listen() {
    server = await(vertx.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      Runnable answer = () -> {
        if (!PATH.equals(request.path())) {
          request.response().setStatusCode(404).end();
        } else if (status != 200) {
          request.response().setStatusCode(status).end("{\"error\":\"unavailable\"}");
        } else {
          request.response().putHeader("content-type", "application/json").end(document.get().encode());
        }
      };
      if (delayMs > 0) {
        vertx.setTimer(delayMs, id -> answer.run());
      } else {
        answer.run();
      }
    }).listen(port, "127.0.0.1"));
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
