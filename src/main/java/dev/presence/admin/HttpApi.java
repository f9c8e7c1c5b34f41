package dev.presence.admin;

import dev.presence.nickname.NickLease;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.room.RoomNames;
import dev.presence.session.UserIds;
import dev.presence.transport.HttpPaths;
import dev.presence.transport.NodeServices;
import dev.presence.transport.ServerMessages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's routes: health ({@code /health}, {@code /health/live}, {@code /health/ready}) and
 * {@code /metrics} without a credential (probes, Prometheus), and the small read-only HTTP API behind
 * {@link ReadApiGuard}: {@code /presence} (paged), {@code /presence/users/{user}}, {@code /nicknames/{nick}},
 * {@code /rooms} (by prefix, paged), {@code /rooms/{room}} (paged). JSON bodies, errors as
 * {@code {"error": "..."}}; 404 where absent. Handlers run on the admin verticle's event loop and never block
 * (store futures complete there).
 */
final class HttpApi {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Vertx vertx;
  private final NodeServices node;

  HttpApi(Vertx vertx, NodeServices node) {
    this.vertx = vertx;
    this.node = node;
  }

  Router router() {
    Router router = Router.router(vertx);
    router.get(HttpPaths.HEALTH).handler(this::health);
    router.get(HttpPaths.LIVE).handler(HealthCheckHandler.createWithHealthChecks(node.health().liveness()));
    router.get(HttpPaths.READY).handler(HealthCheckHandler.createWithHealthChecks(node.health().readiness()));
    router.get(HttpPaths.METRICS).handler(node.metrics().scrapeHandler());
    ReadApiGuard guard = new ReadApiGuard(node.auth());
    router.get(HttpPaths.PRESENCE).handler(guard).handler(this::presencePage);
    router.get(HttpPaths.PRESENCE + "/users/:user").handler(guard).handler(this::presenceOfUser);
    router.get(HttpPaths.NICKNAMES + "/:nick").handler(guard).handler(this::nickname);
    router.get(HttpPaths.ROOMS).handler(guard).handler(this::rooms);
    router.get(HttpPaths.ROOMS + "/*").handler(guard).handler(this::room);
    return router;
  }

  private void health(RoutingContext ctx) {
    int members = node.cluster().clusterSize();
    boolean up = members > 0; // 0 when the Hazelcast member is not running
    json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("node", node.cluster().node())
        .put("clusterSize", members).put("sessions", node.sessions().get())
        .put("draining", node.health().isDraining()));
  }

  /** @return the {@code limit} parameter, or -1 (after answering 400) if it is not within 1..{@link #MAX_PAGE} */
  private static int limit(RoutingContext ctx) {
    int limit;
    try {
      String raw = ctx.request().getParam("limit");
      limit = raw == null ? DEFAULT_PAGE : Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_PAGE) {
      error(ctx, 400, "limit must be a whole number within 1.." + MAX_PAGE);
      return -1;
    }
    return limit;
  }

  /**
   * {@code GET /rooms/{room}}: the room name is everything after {@code /rooms/}, percent-decoded (RFC 3986 §2.1), so
   * {@code #} must be sent as {@code %23} (a raw one starts the fragment, which never reaches the server) and
   * {@code /} may be sent raw or as {@code %2F} (docs/protocol.md §8).
   */
  private void room(RoutingContext ctx) {
    String raw = ctx.request().path().substring(HttpPaths.ROOMS.length() + 1);
    String room;
    try {
      // '+' is a plus in a path (only forms turn it into a space).
      room = java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "the room name is not validly percent-encoded");
      return;
    }
    String problem = RoomNames.problem(room);
    if (problem != null) {
      error(ctx, 400, "room name " + problem);
      return;
    }
    int limit = limit(ctx);
    if (limit < 0) {
      return;
    }
    node.service().rooms().view(room, ctx.request().getParam("after"), limit).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
      } else {
        json(ctx, 200, ServerMessages.room(ar.result()));
      }
    });
  }

  /** {@code GET /rooms?prefix=&limit=&after=}: occupied rooms whose names start with the prefix, by name. */
  private void rooms(RoutingContext ctx) {
    String prefix = ctx.request().getParam("prefix", "");
    if (!prefix.isEmpty() && !RoomNames.isValid(prefix)) {
      error(ctx, 400, "prefix " + RoomNames.problem(prefix));
      return;
    }
    int limit = limit(ctx);
    if (limit < 0) {
      return;
    }
    node.service().rooms().list(prefix, ctx.request().getParam("after"), limit).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
      } else {
        json(ctx, 200, ServerMessages.rooms(ar.result()));
      }
    });
  }

  private void presencePage(RoutingContext ctx) {
    int limit = limit(ctx);
    if (limit < 0) {
      return;
    }
    node.presenceStore().list(ctx.request().getParam("after"), limit).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
        return;
      }
      JsonArray sessions = new JsonArray();
      ar.result().entries().forEach(e -> sessions.add(ServerMessages.entry(e)));
      json(ctx, 200, new JsonObject().put("sessions", sessions).put("next", ar.result().next()));
    });
  }

  private void presenceOfUser(RoutingContext ctx) {
    // NFC, the form of every stored user id (UserIds): a decomposed "José" finds the precomposed one.
    String user = UserIds.lookupForm(ctx.pathParam("user"));
    node.service().user(user).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
      } else if (!ar.result().known()) {
        error(ctx, 404, "user has no session and was not seen recently");
      } else {
        json(ctx, 200, ServerMessages.user(ar.result()));
      }
    });
  }

  private void nickname(RoutingContext ctx) {
    NicknameCheck check = NicknameRules.check(ctx.pathParam("nick"));
    if (check instanceof NicknameCheck.Invalid invalid) {
      error(ctx, 400, invalid.reason());
      return;
    }
    String key = ((NicknameCheck.Valid) check).key();
    node.nicknameStore().get(key).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx, ar.cause());
        return;
      }
      long now = node.clock().millis();
      NickLease lease = ar.result().orElse(null);
      if (lease == null || lease.isFree(now)) {
        error(ctx, 404, "nickname is free");
        return;
      }
      json(ctx, 200, new JsonObject().put("nick", lease.nick()).put("key", lease.key())
          .put("state", lease.state().name().toLowerCase(java.util.Locale.ROOT))
          .put("user", lease.holder().user()).put("session", lease.holder().session())
          .put("node", lease.holder().node()).put("fencingToken", lease.fencingToken())
          .put("expiresAt", lease.expiresAt()));
    });
  }

  private void unavailable(RoutingContext ctx, Throwable cause) {
    LOG.warn("HTTP {} failed: {}", ctx.request().path(), cause.toString());
    error(ctx, 503, "cluster store unavailable");
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
