package dev.presence.load.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain blocking HTTP GETs against 127.0.0.1 (the node's admin listener: {@code /health}, {@code /metrics},
 * {@code /presence}, {@code /nicknames}; the bare server's {@code /stats}). Every request carries {@link #API_KEY},
 * which the nodes are started with. The orchestrator's threads only; the JDK client is thread-safe.
 */
public final class Http {

  /** The read API key the nodes of a run accept ({@code PRESENCE_API_KEYS}); not a secret, loopback only. */
  public static final String API_KEY = "load-test-api-key-0123456789abcdef-0123";

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();

  /**
   * The answer to a GET.
   *
   * @param status HTTP status, or -1 if there was no answer
   * @param body   the body, or the failure's text
   */
  public record Response(int status, String body) {
    /** @return true for 200 */
    public boolean ok() {
      return status == 200;
    }
  }

  private static final java.util.Map<LoadTls, HttpClient> TLS_CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

  private Http() {
  }

  /**
   * @param port      HTTP port on 127.0.0.1
   * @param path      path and query
   * @param timeoutMs how long to wait for the whole answer, ms
   * @return the answer; never throws (a dead or busy server gives status -1)
   */
  public static Response get(int port, String path, long timeoutMs) {
    return get(port, path, timeoutMs, null);
  }

  /**
   * As {@link #get(int, String, long)}, over https when {@code tls} is given (to {@code localhost}, the name in
   * the run's certificate).
   *
   * @param tls the run's TLS pair, or {@code null} for plain http
   * @return the answer; never throws
   */
  public static Response get(int port, String path, long timeoutMs, LoadTls tls) {
    HttpClient client = tls == null ? CLIENT : TLS_CLIENTS.computeIfAbsent(tls, t -> HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).sslContext(t.context()).build());
    String base = tls == null ? "http://127.0.0.1:" : "https://localhost:";
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + port + path))
          .timeout(Duration.ofMillis(timeoutMs)).header("Authorization", "Bearer " + API_KEY).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException | RuntimeException e) {
      return new Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(-1, "interrupted");
    }
  }
}
