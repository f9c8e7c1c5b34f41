package dev.presence.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fetches the identity provider's key set ({@code PRESENCE_JWT_JWKS_URL}) with the JDK's HTTP client: asynchronous
 * (no event loop waits on it), TLS with the JDK's trust store and host name check, redirects followed except from
 * https to http, and a {@link #TIMEOUT} on connecting and on the answer.
 *
 * <p>Why not a Vert.x client: the first fetch runs before the node's clustered Vert.x exists, so that a node which
 * cannot get its keys refuses to start without joining the cluster first (see {@link VerificationKeys#load}), and
 * refetches go on with the same client.
 *
 * <p>Threading: thread-safe; the returned futures complete on the HTTP client's own threads, never an event loop.
 */
final class JwksClient {

  /** Longest a fetch may take to connect, and then to answer (each): a token waiting for the keys waits this long. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Largest accepted key-set document (bytes); a real one is a few KiB. */
  static final int MAX_BYTES = 1 << 20;

  private final URI url;
  private final HttpClient http;

  /** @param url the key set's http(s) URL, already validated by {@code AuthSettings} */
  JwksClient(URI url) {
    this.url = url;
    // HTTP/1.1: one small GET gains nothing from HTTP/2, and on http:// the JDK client would otherwise send an
    // "Upgrade: h2c" request that some proxies in front of identity providers mishandle.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** @return the URL fetched */
  URI url() {
    return url;
  }

  /**
   * @return the usable keys; failed if the endpoint does not answer 200 with a key set holding at least one usable
   *     key (the failure's {@link #describe} says why)
   */
  CompletableFuture<JwkSet> fetch() {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "application/json").GET()
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(JwksClient::keySet);
  }

  private static JwkSet keySet(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP status " + response.statusCode());
    }
    if (response.body().length > MAX_BYTES) {
      throw new IllegalStateException("the key set is larger than " + MAX_BYTES + " bytes");
    }
    JsonObject document;
    try {
      document = new JsonObject(Buffer.buffer(response.body()));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("the answer is not a JSON object");
    }
    return JwkSet.parse(document);
  }

  /**
   * @param failure a failed fetch's cause
   * @return why, in a few words, for the log and a refused start
   */
  static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
        : failure;
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + message;
  }
}
