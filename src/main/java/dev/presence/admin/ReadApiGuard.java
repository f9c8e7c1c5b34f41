package dev.presence.admin;

import dev.presence.auth.Authenticator;
import dev.presence.auth.ReadAccess;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a read API request through only with a credential the {@link Authenticator} accepts ({@link
 * Authenticator#readAccess}: an API key or an admin token). Missing or wrong: 401 with {@code WWW-Authenticate:
 * Bearer} (RFC 6750 §3); a valid user token without the admin role: 403. Bodies in the read API's error shape
 * ({@code {"error": "..."}}), naming nothing the caller did not send.
 *
 * <p>Threading: runs on the admin verticle's event loop; an API key is judged at once, a token may wait for its key
 * set without blocking.
 */
final class ReadApiGuard implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ReadApiGuard.class);

  private final Authenticator auth;

  ReadApiGuard(Authenticator auth) {
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    auth.readAccess(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).onComplete(ar -> {
      ReadAccess access = ar.succeeded() ? ar.result() : new ReadAccess.Unauthenticated("credential not verified");
      if (access instanceof ReadAccess.Granted) {
        ctx.next();
      } else if (access instanceof ReadAccess.Forbidden forbidden) {
        LOG.info("read API {} refused (403) to {}: {}", ctx.request().path(), ctx.request().remoteAddress(),
            forbidden.reason());
        HttpApi.error(ctx, 403, forbidden.reason());
      } else {
        ReadAccess.Unauthenticated refused = (ReadAccess.Unauthenticated) access;
        // DEBUG: anyone who reaches the port can cause these, and must not be able to flood the log with them.
        LOG.debug("read API {} refused (401) to {}: {}", ctx.request().path(), ctx.request().remoteAddress(),
            refused.reason());
        ctx.response().putHeader("www-authenticate", "Bearer realm=\"presence-admin\"");
        HttpApi.error(ctx, 401, refused.reason());
      }
    });
  }
}
