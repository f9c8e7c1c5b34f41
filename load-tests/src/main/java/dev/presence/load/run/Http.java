package dev.presence.load.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain blocking HTTP GETs against 127.0.0.1 (the node's {@code /health}, {@code /metrics},
 * {@code /presence}, {@code /nicknames}; the bare server's {@code /stats}). The orchestrator's threads
 * only; the JDK client is thread-safe.
 */
public final class Http {

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

  private Http() {
  }

  /**
   * @param port      HTTP port on 127.0.0.1
   * @param path      path and query
   * @param timeoutMs how long to wait for the whole answer, ms
   * @return the answer; never throws (a dead or busy server gives status -1)
   */
  public static Response get(int port, String path, long timeoutMs) {
    try {
      HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofMillis(timeoutMs)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException | RuntimeException e) {
      return new Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(-1, "interrupted");
    }
  }
}
