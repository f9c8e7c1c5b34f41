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

/** Reads a node's HTTP API from the test thread (blocking, JDK HttpClient). */
public final class PresenceHttp {

  // HTTP/1.1: the JDK client's default (HTTP/2 with an h2c upgrade on plain http) once hung a /metrics scrape past
  // its request timeout in CI; the node's clients speak HTTP/1.1 anyway.
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private PresenceHttp() {
  }

  /** @return the Prometheus text of GET /metrics on node port {@code port} (fails unless 200) */
  public static String metrics(int port) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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

  /** @return status code and JSON body of GET {@code path} on node port {@code port} */
  public static Response get(int port, String path) {
    return get(HTTP, "http://127.0.0.1:" + port, path);
  }

  /**
   * A client for a node that speaks TLS: https://localhost (the test certificates' name) with {@code tls}'s trust.
   *
   * @param tls trust for the node's certificate (see {@link TlsFiles#sslContext})
   * @return reads of that node's HTTP API over TLS
   */
  public static Tls overTls(javax.net.ssl.SSLContext tls) {
    return new Tls(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build());
  }

  /** Reads of a node's HTTP API over https; thread-safe, blocking. */
  public static final class Tls {
    private final HttpClient client;

    private Tls(HttpClient client) {
      this.client = client;
    }

    /** @return status code and JSON body of GET {@code path} on {@code https://localhost:port} */
    public Response get(int port, String path) {
      return PresenceHttp.get(client, "https://localhost:" + port, path);
    }

    /** @return every session id the node lists in {@code /presence}, following the pages */
    public Set<String> sessions(int port) {
      return PresenceHttp.sessions(path -> get(port, path));
    }
  }

  private static Response get(HttpClient client, String base, String path) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), new JsonObject(r.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return every session id the node lists in {@code /presence}, following the pages */
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
