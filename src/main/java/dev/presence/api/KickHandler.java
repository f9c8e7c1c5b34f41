package dev.presence.api;

import dev.presence.auth.Authenticator;
import dev.presence.auth.Credential;
import dev.presence.auth.Identity;
import dev.presence.auth.Revocation;
import dev.presence.auth.RevocationStore;
import dev.presence.cluster.ClusterNames;
import dev.presence.nickname.NickLeaseState;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.nickname.NicknameRules;
import dev.presence.presence.EvictionRequest;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceMetrics;
import dev.presence.presence.PresenceService;
import dev.presence.presence.PresenceStore;
import dev.presence.session.LeaveReason;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code presence.kick} (docs/event-bus.md): authenticates the caller from the {@code authorization}
 * header, finds the target sessions in the cluster-wide maps, refuses the whole request (403, nothing kicked)
 * if the caller may not kick every one of them, else asks their owners to close them over the existing
 * {@code presence.evict} broadcast with reason {@code kicked} (close 4004, nickname freed at once). With
 * {@code revokeForMs} (an admin or a trusted service only) the user's tokens, or the token with that {@code jti}, are
 * revoked first, so the kicked user cannot come straight back (docs/security.md, "Revocation"). A kick by
 * {@code jti} is broadcast by token: every node closes its sessions whose current token has it (the reply's
 * {@code kicked} counts only sessions found in the cluster's maps, so 0 for a {@code jti}). A kick from a room
 * ({@code room} with a {@code session} or a {@code user}; same rights) closes nothing: {@code RoomMemberships.kick}
 * takes the named sessions out of that room and their owners tell them ({@code left} with reason {@code kicked}).
 *
 * <p>Order of checks: credential (401) before the body (400), so an unauthenticated caller learns nothing about
 * what would be accepted.
 *
 * <p>Threading: runs on the API verticle's event loop; store futures complete there; never blocks.
 */
final class KickHandler {

  private static final Logger LOG = LoggerFactory.getLogger(KickHandler.class);

  private final Authenticator auth;
  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final EventBus eventBus;
  private final InstantSource clock;
  private final PresenceService service;
  private final RevocationStore revocations;
  private final PresenceMetrics metrics;
  private final long maxRevocationMs;

  KickHandler(Authenticator auth, PresenceStore presence, NicknameLeaseStore nicknames, EventBus eventBus,
      InstantSource clock, PresenceService service, RevocationStore revocations, PresenceMetrics metrics,
      long maxRevocationMs) {
    this.maxRevocationMs = maxRevocationMs;
    this.service = service;
    this.metrics = metrics;
    this.revocations = revocations;
    this.auth = auth;
    this.presence = presence;
    this.nicknames = nicknames;
    this.eventBus = eventBus;
    this.clock = clock;
  }

  /** Who asks: a trusted service ({@code identity == null}) or the holder of a verified token. */
  record Kicker(Identity identity) {
    boolean mayKick(String targetUser) {
      return identity == null || identity.mayKick(targetUser);
    }

    String describe() {
      return identity == null ? "service" : "user " + identity.user();
    }

    /** Revoking bans a user from every node: the kick rule's "own sessions" does not stretch that far. */
    boolean mayRevoke() {
      return identity == null || identity.isAdmin();
    }
  }

  void handle(Message<Object> message) {
    authenticate(message.headers().get(Credential.HEADER))
        .compose(kicker -> kick(kicker, message.body()))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            Replies.reply(message, ar.result());
          } else {
            Replies.fail(message, "presence.kick", ar.cause());
          }
        });
  }

  private Future<Kicker> authenticate(String header) {
    Credential credential = Credential.parse(header);
    if (credential instanceof Credential.Service service) {
      return auth.isServiceCredential(service.secret()) ? Future.succeededFuture(new Kicker(null))
          : refuse(ApiError.unauthorized("the service credential is not the configured one"));
    }
    if (credential instanceof Credential.Bearer bearer) {
      if (!auth.tokensRequired()) {
        // Development mode has no key to verify a token with: trusting one would let anybody kick anybody.
        return refuse(ApiError.unauthorized("the node runs without tokens: present the service credential"));
      }
      return auth.authenticate(bearer.token(), null).map(Kicker::new)
          .recover(t -> refuse(ApiError.unauthorized("invalid or expired token")));
    }
    return refuse(ApiError.unauthorized("header 'authorization' must be 'Service <credential>' or 'Bearer <token>'"));
  }

  private Future<JsonObject> kick(Kicker kicker, Object body) {
    Parsed<KickRequest> parsed = KickRequest.parse(body, maxRevocationMs);
    if (parsed instanceof Parsed.Invalid<KickRequest> invalid) {
      return refuse(ApiError.badRequest(invalid.message()));
    }
    KickRequest request = ((Parsed.Ok<KickRequest>) parsed).request();
    if (request.revokeForMs() > 0 && !kicker.mayRevoke()) {
      return refuse(ApiError.forbidden("only an admin or a trusted service may revoke tokens"));
    }
    if (request.target() == KickRequest.Target.USER && !kicker.mayKick(request.value())) {
      // Refused whether or not that user has sessions: a user token must not probe who is online this way.
      return refuse(ApiError.forbidden("only an admin or a trusted service may kick another user"));
    }
    long now = clock.millis();
    Revocation revocation = request.revocation(now);
    // Revoked before the kick: a kicked client that reconnects at once must already meet the revocation.
    Future<Void> revoked = revocation == null ? Future.succeededFuture() : revocations.revoke(revocation, now)
        .onSuccess(done -> {
          metrics.revocationWritten(revocation.kind().field());
          LOG.info("{} revoked {} {} until {}", kicker.describe(), revocation.kind().field(), revocation.value(),
              Instant.ofEpochMilli(revocation.untilMs()));
        });
    return revoked.compose(done -> targets(request)).compose(entries -> {
      if (entries.stream().anyMatch(e -> !kicker.mayKick(e.user()))) {
        return refuse(ApiError.forbidden("only an admin or a trusted service may kick another user's session"));
      }
      if (request.fromRoom()) {
        return kickFromRoom(kicker, request, entries);
      }
      JsonArray kicked = new JsonArray();
      for (PresenceEntry entry : entries) {
        if (entry.isHeld()) {
          // Held for a resume (docs/protocol.md §11.4): no connection anywhere to close; the kick ends the hold.
          service.holds().kick(entry.session(), entry.heldUntil())
              .onFailure(t -> LOG.warn("kick of held session {} failed: {}", entry.session(), t.toString()));
        } else {
          requestKick(entry.session(), request.reason());
        }
        kicked.add(entry.session());
      }
      if (request.target() == KickRequest.Target.JTI) {
        // Every node closes its sessions whose current token has this jti; how many is not known here.
        eventBus.publish(ClusterNames.EVICT_ADDRESS,
            EvictionRequest.byToken(request.value(), LeaveReason.KICKED, request.reason()).toJson());
      }
      LOG.info("kick by {} of {} {}: {} sessions", kicker.describe(), request.target().field(), request.value(),
          request.target() == KickRequest.Target.JTI ? "every node's" : kicked.size());
      JsonObject reply = new JsonObject().put("kicked", kicked.size()).put("sessions", kicked);
      if (revocation != null) {
        reply.put("revoked", new JsonObject().put(revocation.kind().field(), revocation.value())
            .put("until", revocation.untilMs()));
      }
      return Future.succeededFuture(reply);
    });
  }

  /**
   * A kick from a room: the named sessions (found by a keyed read, or by the user index) leave that room; those not
   * in it are left alone, so the reply's {@code kicked} counts the memberships actually removed.
   */
  private Future<JsonObject> kickFromRoom(Kicker kicker, KickRequest request, List<PresenceEntry> entries) {
    List<String> sessions = entries.stream().map(PresenceEntry::session).toList();
    return service.rooms().kick(request.room(), sessions, request.reason()).map(removed -> {
      LOG.info("kick by {} of {} {} from room {}: {} memberships", kicker.describe(), request.target().field(),
          request.value(), request.room(), removed.size());
      return new JsonObject().put("kicked", removed.size()).put("room", request.room())
          .put("sessions", new JsonArray(removed));
    });
  }

  /**
   * The sessions a kick names. A nickname names the session holding it; one in grace has no session left. A
   * target that does not exist names nothing (kicked 0): a kick is idempotent, so a retry after a lost reply
   * must not fail.
   */
  private Future<List<PresenceEntry>> targets(KickRequest request) {
    return switch (request.target()) {
      case SESSION -> presence.get(request.value()).map(found -> found.stream().toList());
      case USER -> presence.findByUser(request.value());
      case NICK -> holderOf(request.value());
      // The cluster does not record a session's token: kick() asks every node to close those running on it.
      case JTI -> Future.succeededFuture(List.of());
    };
  }

  private Future<List<PresenceEntry>> holderOf(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    if (check instanceof NicknameCheck.Invalid invalid) {
      return refuse(ApiError.badRequest(invalid.reason()));
    }
    return nicknames.get(((NicknameCheck.Valid) check).key()).compose(found -> found
        .filter(lease -> lease.state() == NickLeaseState.HELD && !lease.isFree(clock.millis()))
        .map(lease -> presence.get(lease.holder().session()).map(entry -> entry.stream().toList()))
        .orElse(Future.succeededFuture(List.of())));
  }

  /**
   * The owner closes the session with 4004 and leave reason {@code kicked}; {@code detail} becomes part of the
   * close reason. Best effort, like every eviction: if the broadcast is lost the session stays until it ends
   * otherwise, and the caller may kick again.
   */
  private void requestKick(String session, String detail) {
    eventBus.publish(ClusterNames.EVICT_ADDRESS, new EvictionRequest(session, LeaveReason.KICKED, detail).toJson());
  }

  private static <T> Future<T> refuse(ApiError error) {
    return Future.failedFuture(new Replies.ApiFailure(error));
  }
}
