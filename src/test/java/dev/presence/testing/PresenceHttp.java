package dev.presence.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a node's admin listener (health, metrics, read API) from the test thread (blocking, JDK HttpClient), with
 * {@link #API_KEY}, which every test node accepts ({@link TestCluster}).
 */
public final class PresenceHttp {

  /** The API key test nodes are configured with ({@code PRESENCE_API_KEYS}); 32+ characters, as the node requires. */
  public static final String API_KEY = "test-api-key-0123456789abcdef-0123456789";

  /** A second key, configured next to the first where a test rotates keys. */
  public static final String SECOND_API_KEY = "test-api-key-second-fedcba9876543210-0000";

  // HTTP/1.1: the JDK client's default (HTTP/2 with an h2c upgrade on plain http) once hung a /metrics scrape past
  // its request timeout in CI; the node's clients speak HTTP/1.1 anyway.
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private PresenceHttp() {
  }

  /**
   * @param port   a node's admin port
   * @param series a series as the scrape writes it: its name, with its labels if it has any
   * @return that series' value on the node's scrape now; fails if the scrape has no such line
   */
  public static double metric(int port, String series) {
    return metrics(port).lines().filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst().orElseThrow();
  }

  /** @return the Prometheus text of GET /metrics on admin port {@code port} (fails unless 200) */
  public static String metrics(int port) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()); // no credential needed
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /metrics answered " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return status code and JSON body of GET {@code path} on admin port {@code port}, with {@link #API_KEY} */
  public static Response get(int port, String path) {
    return get(HTTP, "http://127.0.0.1:" + port, path, "Bearer " + API_KEY);
  }

  /**
   * @param authorization the {@code Authorization} header to send, or {@code null} for none
   * @return status, headers and raw body of GET {@code path} on {@code 127.0.0.1:port}
   */
  public static HttpResponse<String> raw(int port, String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client for a node's public listener that speaks TLS: https://localhost (the test certificates' name) with
   * {@code tls}'s trust.
   *
   * @param tls trust for the node's certificate (see {@link TlsFiles#sslContext})
   * @return requests to that listener over TLS
   */
  public static Tls overTls(javax.net.ssl.SSLContext tls) {
    return new Tls(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build());
  }

  /** Requests to a node's public listener over https (the admin listener is plain HTTP); thread-safe, blocking. */
  public static final class Tls {
    private final HttpClient client;

    private Tls(HttpClient client) {
      this.client = client;
    }

    /** @return the status code of GET {@code path} on {@code https://localhost:port} */
    public int status(int port, String path) {
      try {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static Response get(HttpClient client, String base, String path, String authorization) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), new JsonObject(r.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return every session id the node on admin port {@code port} lists in {@code /presence}, following the pages */
  public static Set<String> sessions(int port) {
    return sessions(path -> get(port, path));
  }

  private static Set<String> sessions(java.util.function.Function<String, Response> get) {
    Set<String> ids = new HashSet<>();
    String after = null;
    do {
      String path = "/presence?limit=1000" + (after == null ? "" : "&after=" + after);
      JsonObject page = get.apply(path).body();
      JsonArray sessions = page.getJsonArray("sessions");
      sessions.forEach(s -> ids.add(((JsonObject) s).getString("session")));
      after = page.getString("next");
    } while (after != null);
    return ids;
  }

  /** @return the nickname lease as the node reports it ({@code status} 404 when free) */
  public static Response nickname(int port, String nick) {
    return get(port, "/nicknames/" + URLEncoder.encode(nick, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  /** A status code and a JSON body. */
  public record Response(int status, JsonObject body) {
  }
}
