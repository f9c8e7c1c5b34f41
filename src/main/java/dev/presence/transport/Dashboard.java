package dev.presence.transport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The live dashboard at {@code /}: static files from the jar's {@code webroot/} (our page, and under
 * {@code vendor/<package>/<version>/} the npm packages {@code @vertx/eventbus-bridge-client.js} and
 * {@code sockjs-client}, unpacked there by the build). The page itself talks to the cluster over the SockJS
 * bridge ({@link EventBusBridge}); this class only serves files (docs/dashboard.md).
 *
 * <p>Headers: a Content-Security-Policy that allows scripts, styles and connections from this origin only and
 * no inline script, so a user or nickname that smuggles markup into the page cannot run (the page also only
 * ever writes text nodes); {@code nosniff}; no referrer, no framing. Caching: vendor files have their version
 * in the path and never change, so browsers keep them a year; the page's own files are revalidated on every
 * load ({@code no-cache} with {@code Last-Modified}), so a node upgrade shows its new page at once.
 *
 * <p>Threading: built from the owning verticle's start (event loop); the handlers run on that loop and the
 * file reads are asynchronous.
 */
final class Dashboard {

  /** Classpath directory of the page. */
  static final String WEBROOT = "webroot";

  /** The policy; {@code 'self'} in connect-src also covers ws:// to this host (CSP Level 3). */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** Cache lifetime of versioned vendor files (s): one year, the longest RFC 9111 caches honour in practice. */
  static final long VENDOR_MAX_AGE_S = 365L * 24 * 3600;

  private Dashboard() {
  }

  /**
   * @param vertx the node's Vert.x
   * @return a router to mount under {@code /*} after every other route, so that it only sees requests that
   *     no API route answered; paths it has no file for fall through to Vert.x Web's 404
   */
  static Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(Dashboard::securityHeaders);
    router.route("/vendor/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create(WEBROOT + "/vendor").setCachingEnabled(true).setMaxAgeSeconds(VENDOR_MAX_AGE_S));
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(Dashboard::revalidateAlways)
        .handler(StaticHandler.create(WEBROOT).setCachingEnabled(true).setDirectoryListing(false));
    return router;
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("content-security-policy", CONTENT_SECURITY_POLICY)
        .set("x-content-type-options", "nosniff")
        .set("referrer-policy", "no-referrer")
        .set("x-frame-options", "DENY");
    ctx.next();
  }

  /**
   * StaticHandler marks every file it serves with caching on as {@code public, immutable, max-age=...};
   * unversioned files must not be, or a browser would keep running an old page against a new node. It
   * still sends {@code Last-Modified} and answers {@code If-Modified-Since} with 304, so revalidation is cheap.
   */
  private static void revalidateAlways(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
    ctx.next();
  }
}
