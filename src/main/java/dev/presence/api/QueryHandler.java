package dev.presence.api;

import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeaseState;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.nickname.NicknameRules;
import dev.presence.presence.MemberDirectory;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.RoomMemberships;
import dev.presence.presence.UserPresence;
import dev.presence.transport.ServerMessages;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers {@code presence.query} (docs/event-bus.md) from the cluster-wide maps, so any node answers for the
 * whole cluster. No credential is checked: cluster members are trusted, and browsers reach this address only
 * through the SockJS bridge, which checks their token first.
 *
 * <p>Threading: runs on the API verticle's event loop; store futures complete there; never blocks.
 */
final class QueryHandler {

  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final MemberDirectory members;
  private final InstantSource clock;
  private final Function<String, Future<UserPresence>> users;
  private final RoomMemberships rooms;

  QueryHandler(PresenceStore presence, NicknameLeaseStore nicknames, MemberDirectory members, InstantSource clock,
      Function<String, Future<UserPresence>> users, RoomMemberships rooms) {
    this.users = users;
    this.rooms = rooms;
    this.presence = presence;
    this.nicknames = nicknames;
    this.members = members;
    this.clock = clock;
  }

  void handle(Message<Object> message) {
    Parsed<QueryRequest> parsed = QueryRequest.parse(message.body());
    if (parsed instanceof Parsed.Invalid<QueryRequest> invalid) {
      Replies.fail(message, ApiError.badRequest(invalid.message()));
      return;
    }
    answer(((Parsed.Ok<QueryRequest>) parsed).request()).onComplete(ar -> {
      if (ar.succeeded()) {
        Replies.reply(message, ar.result());
      } else {
        Replies.fail(message, "presence.query", ar.cause());
      }
    });
  }

  private Future<JsonObject> answer(QueryRequest request) {
    // Java 17: no pattern matching in switch; the sealed interface keeps this list complete by review.
    if (request instanceof QueryRequest.All all) {
      return presence.list(all.after(), all.limit()).map(page -> sessions(page.entries()).put("next", page.next()));
    } else if (request instanceof QueryRequest.ByUser q) {
      // The user-level view: online while any session is; lastSeen (epoch ms or null) when offline.
      return users.apply(q.user()).map(ServerMessages::user);
    } else if (request instanceof QueryRequest.ByNode q) {
      return presence.findByNode(q.node()).map(QueryHandler::sessions);
    } else if (request instanceof QueryRequest.BySession q) {
      return presence.get(q.session()).map(e -> sessions(e.stream().toList()));
    } else if (request instanceof QueryRequest.ByNick q) {
      return nick(q.nick());
    } else if (request instanceof QueryRequest.ByRoom q) {
      return rooms.view(q.room(), q.after(), q.limit()).map(ServerMessages::room);
    } else if (request instanceof QueryRequest.Rooms q) {
      return rooms.list(q.prefix(), q.after(), q.limit()).map(ServerMessages::rooms);
    }
    return members();
  }

  private static JsonObject sessions(List<PresenceEntry> entries) {
    JsonArray array = new JsonArray();
    entries.forEach(e -> array.add(ServerMessages.entry(e)));
    return new JsonObject().put("sessions", array);
  }

  private Future<JsonObject> nick(String raw) {
    NicknameCheck check = NicknameRules.check(raw);
    if (check instanceof NicknameCheck.Invalid invalid) {
      return Future.failedFuture(new Replies.ApiFailure(ApiError.badRequest(invalid.reason())));
    }
    return nicknames.get(((NicknameCheck.Valid) check).key()).compose(found -> {
      Optional<NickLease> lease = found.filter(l -> !l.isFree(clock.millis()));
      return lease.isEmpty()
          ? Future.failedFuture(new Replies.ApiFailure(ApiError.notFound("nickname is free")))
          : Future.succeededFuture(leaseJson(lease.get()));
    });
  }

  /** The shape of {@code GET /nicknames/{nick}}; {@code state} is {@code held} or {@code grace}. */
  private static JsonObject leaseJson(NickLease lease) {
    NickLeaseState state = lease.state();
    return new JsonObject().put("nick", lease.nick()).put("key", lease.key())
        .put("state", state.name().toLowerCase(Locale.ROOT))
        .put("user", lease.holder().user()).put("session", lease.holder().session())
        .put("node", lease.holder().node()).put("fencingToken", lease.fencingToken())
        .put("expiresAt", lease.expiresAt());
  }

  /** Every data member, including those without sessions; entries of nodes no longer members are left out. */
  private Future<JsonObject> members() {
    List<String> nodes = members.dataNodes();
    return members.sessionsPerNode().map(counts -> membersJson(nodes, counts));
  }

  static JsonObject membersJson(List<String> nodes, Map<String, Long> counts) {
    JsonArray array = new JsonArray();
    nodes.forEach(node -> array.add(new JsonObject().put("node", node).put("sessions", counts.getOrDefault(node, 0L))));
    return new JsonObject().put("members", array);
  }
}
