package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files and headers, served as the node mounts them: after an API route, under {@code /*}. The
 * vendor files come from the build (generate-resources unpacks them into target/classes before tests run).
 */
class DashboardTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.response().end("api"));
    router.route("/*").subRouter(Dashboard.router(vertx));
    port = FreePorts.next();
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void the_page_is_served_at_the_root_with_a_strict_policy_and_revalidated_on_every_load() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body()).contains("vendor/eventbus-bridge-client/1.0.0/vertx-eventbus.js")
        .contains("vendor/sockjs-client/1.6.1/dist/sockjs.min.js").doesNotContain("<script>");
    assertThat(page.headers().firstValue("content-security-policy")).hasValue(Dashboard.CONTENT_SECURITY_POLICY);
    assertThat(Dashboard.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(get("/dashboard.js").headers().firstValue("cache-control")).hasValue("no-cache");
  }

  @Test
  void the_rooms_panel_scripts_load_before_the_page_script_and_are_revalidated_too() throws Exception {
    String page = get("/").body();

    // Deferred scripts run in document order: rooms.js and dashboard.js use what dom.js and room-view.js define.
    assertThat(page.indexOf("src=\"dom.js\"")).isPositive().isLessThan(page.indexOf("src=\"room-view.js\""));
    assertThat(page.indexOf("src=\"room-view.js\"")).isPositive().isLessThan(page.indexOf("src=\"rooms.js\""));
    assertThat(page.indexOf("src=\"rooms.js\"")).isLessThan(page.indexOf("src=\"dashboard.js\""));
    assertThat(page).contains("id=\"rooms\"").contains("id=\"room-members\"").contains("id=\"room-events\"");
    for (String path : new String[] {"/dom.js", "/room-view.js", "/rooms.js"}) {
      HttpResponse<String> file = get(path);

      assertThat(file.statusCode()).as(path).isEqualTo(200);
      assertThat(file.headers().firstValue("content-type")).as(path)
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
      assertThat(file.headers().firstValue("cache-control")).as(path).hasValue("no-cache");
      assertThat(file.headers().firstValue("content-security-policy")).as(path)
          .hasValue(Dashboard.CONTENT_SECURITY_POLICY);
    }
  }

  @Test
  void the_npm_files_are_in_the_build_output_and_cached_for_a_year_as_their_path_carries_the_version()
      throws Exception {
    for (String path : new String[] {"/vendor/eventbus-bridge-client/1.0.0/vertx-eventbus.js",
        "/vendor/sockjs-client/1.6.1/dist/sockjs.min.js"}) {
      HttpResponse<String> file = get(path);

      assertThat(file.statusCode()).as(path).isEqualTo(200);
      assertThat(file.headers().firstValue("content-type")).as(path)
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
      assertThat(file.headers().firstValue("cache-control")).as(path)
          .hasValue("public, immutable, max-age=" + Dashboard.VENDOR_MAX_AGE_S);
    }
  }

  @Test
  void routes_mounted_before_it_still_answer_and_unknown_paths_are_still_404() throws Exception {
    assertThat(get("/health").body()).isEqualTo("api");
    assertThat(get("/no-such-file.js").statusCode()).isEqualTo(404);
    assertThat(get("/vendor/").statusCode()).as("no directory listing").isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
