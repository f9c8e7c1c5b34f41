package dev.presence.transport;

import dev.presence.auth.TokenRejectedException;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.presence.NickChange;
import dev.presence.presence.RoomJoinOutcome;
import dev.presence.room.RoomMembership;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A session's {@code join} and {@code leave} of rooms (docs/protocol.md §12): who may join (the token's room grants),
 * the room limit known locally, then {@code RoomMemberships} for the cluster side; and the news of a kick from a
 * room ({@link #kicked}). Every refusal is an error frame
 * naming the room; the connection stays.
 *
 * <p>Threading: confined to the connection's event loop (its request queue runs these one after another, so
 * {@link SessionFacts#rooms} is exact when each starts).
 */
final class RoomRequests {

  private final SessionEnvironment env;
  private final SessionFacts facts;
  private final ServerWebSocket ws;
  private final Consumer<JsonObject> send;

  /**
   * @param env   the verticle's shared services
   * @param facts the session's facts (its grants are read, its rooms updated here)
   * @param ws    the socket (room watches write to it through their own resync path)
   * @param send  the connection's send
   */
  RoomRequests(SessionEnvironment env, SessionFacts facts, ServerWebSocket ws, Consumer<JsonObject> send) {
    this.env = env;
    this.facts = facts;
    this.ws = ws;
    this.send = send;
  }

  /**
   * @param request a valid {@code join}
   * @return completes when answered; fails with the cluster store's failure (the connection answers
   *     {@code unavailable})
   */
  Future<?> join(ClientMessage.Join request) {
    String room = request.room();
    if (request.token() != null) {
      // A room token opens its one room whatever the rooms claim says, and may name the room nickname (§12.3).
      return env.node().auth().roomTicket(request.token(), facts.user, room).transform(checked -> {
        if (checked.succeeded()) {
          return admitted(request, checked.result().nick());
        }
        if (checked.cause() instanceof TokenRejectedException rejected) {
          env.metrics().refused("room_forbidden");
          send.accept(ServerMessages.roomError("room_forbidden", rejected.getMessage(), room));
          return Future.succeededFuture();
        }
        return Future.failedFuture(checked.cause()); // the revocations could not be read: unavailable
      });
    }
    if (!facts.roomGrants.mayJoin(room)) {
      send.accept(ServerMessages.roomError("room_forbidden", "your token does not let you join " + room, room));
      return Future.succeededFuture();
    }
    return admitted(request, null);
  }

  /**
   * A join the session may make: the place, the membership, the room nickname (the room token's {@code reserved}
   * one, or the request's), then the answer and the watch.
   */
  private Future<?> admitted(ClientMessage.Join request, String reserved) {
    String room = request.room();
    if (reserved != null && request.nick() != null && !sameNick(reserved, request.nick())) {
      send.accept(ServerMessages.roomError("nick_invalid", "the room token reserves the nickname " + reserved
          + " for you in " + room, room));
      return Future.succeededFuture();
    }
    String rawNick = reserved != null ? reserved : request.nick();
    RoomMembership known = facts.rooms.membership(room);
    var rooms = env.service().rooms();
    if (known == null && facts.rooms.joinedCount() >= rooms.maxRoomsPerSession()) {
      send.accept(ServerMessages.roomError("room_limit", rooms.roomLimit().message(), room));
      return Future.succeededFuture();
    }
    NicknameCheck.Valid nick = null;
    if (rawNick != null) {
      NicknameCheck check = NicknameRules.check(rawNick);
      if (check instanceof NicknameCheck.Invalid invalid) {
        send.accept(ServerMessages.roomError("nick_invalid", invalid.reason(), room));
        return Future.succeededFuture();
      }
      nick = (NicknameCheck.Valid) check;
    }
    NicknameCheck.Valid wanted = nick;
    Future<RoomJoinOutcome> joining = known == null && wanted != null ? nickWrite(rooms.join(facts.asEntry(env.service().node()), room,
        request.meta(), null, wanted)) : rooms.join(facts.asEntry(env.service().node()), room, request.meta(), known, null);
    return joining.compose(outcome -> {
      if (!(outcome instanceof RoomJoinOutcome.Joined joined)) {
        RoomJoinOutcome.Refused refused = (RoomJoinOutcome.Refused) outcome;
        send.accept(ServerMessages.roomError(refused.code(), refused.message(), room));
        return Future.succeededFuture();
      }
      RoomMembership now = known == null
          ? new RoomMembership(env.clock().millis(), request.meta(), joined.nick(), joined.key())
          : known.withMeta(request.meta());
      facts.rooms.join(room, now);
      // A repeated join with a nickname changes the room nickname (one more write, after the meta's).
      Future<?> answered = known != null && wanted != null ? changeNick(room, now, wanted, true)
          : Future.succeededFuture(send(ServerMessages.joined(room, joined.sessions(), joined.users(), now.nick(),
              joined.fencingToken())));
      // A repeated join that watches already sends no second snapshot; a member may always watch its room.
      return answered.compose(v -> request.watch() && !facts.rooms.isWatched(room)
          ? watch(room, RoomWatches.Mode.MEMBERS) : Future.succeededFuture());
    });
  }

  private static boolean sameNick(String a, String b) {
    return NicknameRules.check(a) instanceof NicknameCheck.Valid x && NicknameRules.check(b) instanceof NicknameCheck.Valid y
        && x.key().equals(y.key());
  }

  /**
   * {@code nick} with a {@code room}: claims or changes the session's nickname in a room it is in (§12.2).
   *
   * @param request a valid room nickname request
   * @return completes when answered ({@code nick.ok} with {@code room}, or an error naming the room); fails with the
   *     cluster store's failure
   */
  Future<?> nick(ClientMessage.RoomNick request) {
    String room = request.room();
    RoomMembership known = facts.rooms.membership(room);
    if (known == null) {
      send.accept(ServerMessages.roomError("not_in_room", "this session is not in " + room, room));
      return Future.succeededFuture();
    }
    NicknameCheck check = NicknameRules.check(request.nick());
    if (check instanceof NicknameCheck.Invalid invalid) {
      send.accept(ServerMessages.roomError("nick_invalid", invalid.reason(), room));
      return Future.succeededFuture();
    }
    return changeNick(room, known, (NicknameCheck.Valid) check, false);
  }

  /** Changes the room nickname and answers: {@code joined} (a repeated join) or {@code nick.ok}, else an error. */
  private Future<?> changeNick(String room, RoomMembership known, NicknameCheck.Valid nick, boolean asJoin) {
    return nickWrite(env.service().rooms().nicknames().change(facts.asEntry(env.service().node()), room, known, nick)).compose(change -> {
      if (change instanceof NickChange.Claimed claimed) {
        facts.rooms.replace(room, m -> m.withNick(claimed.nick(), claimed.key()));
        env.metrics().nickClaim("granted");
        if (!asJoin) {
          send.accept(ServerMessages.roomNickOk(claimed.nick(), claimed.fencingToken(), room));
          return Future.succeededFuture();
        }
        return env.service().rooms().occupancy(room).map(counts -> send(ServerMessages.joined(room, counts.sessions(),
            counts.users(), claimed.nick(), claimed.fencingToken())));
      }
      NickChange.Rejected rejected = (NickChange.Rejected) change;
      env.metrics().nickClaim(rejected.code().replace("nick_", ""));
      if (rejected.code().equals("not_in_room")) {
        facts.rooms.leave(room);
      }
      send.accept(ServerMessages.roomError(rejected.code(), rejected.message(), room));
      return Future.succeededFuture();
    });
  }

  /**
   * Counts the start and the end of a nickname write, so a lease renewal that read meanwhile judges nothing
   * ({@link SessionFacts#nickWrites}).
   */
  private <T> Future<T> nickWrite(Future<T> write) {
    facts.nickWrites++;
    return write.onComplete(done -> facts.nickWrites++);
  }

  private Void send(io.vertx.core.json.JsonObject message) {
    send.accept(message);
    return null;
  }

  /**
   * {@code subscribe} {@code rooms}: watches each room the session's grants let it watch ({@code room_forbidden}
   * for the others), up to {@code PRESENCE_MAX_ROOMS_PER_SESSION} watched rooms ({@code room_limit} beyond). A room
   * watched already gets a fresh snapshot (the client's resync).
   *
   * @param request a valid room subscription
   * @return completes when every snapshot went out; fails with the cluster store's failure
   */
  Future<?> watch(ClientMessage.WatchRooms request) {
    int limit = env.config().rooms().maxRoomsPerSession();
    RoomWatches.Mode mode = new RoomWatches.Mode(request.countsOnly(), request.users());
    List<Future<Void>> snapshots = new ArrayList<>();
    for (String room : request.rooms()) {
      if (!facts.roomGrants.mayWatch(room)) {
        send.accept(ServerMessages.roomError("room_forbidden", "your token does not let you watch " + room, room));
      } else if (!facts.rooms.isWatched(room) && facts.rooms.watchedCount() >= limit) {
        send.accept(ServerMessages.roomError("room_limit", "the session watches " + limit + " rooms already (limit "
            + limit + ")", room));
      } else {
        snapshots.add(watch(room, mode));
      }
    }
    return Future.all(snapshots);
  }

  /** Watches a room (or resends its snapshot); a watch whose first read failed is forgotten here too. */
  private Future<Void> watch(String room, RoomWatches.Mode mode) {
    facts.rooms.watch(room);
    return env.roomWatches().watch(facts.session, ws, room, mode).onFailure(failed -> facts.rooms.unwatch(room));
  }

  /**
   * Ends the session's watch of a room.
   *
   * @param room the room
   * @return completes once no more of the room's frames can follow what the caller writes next
   */
  Future<Void> unwatch(String room) {
    facts.rooms.unwatch(room);
    return env.roomWatches().unwatch(facts.session, room);
  }

  /**
   * @param request a valid {@code leave}
   * @return completes when answered; fails with the cluster store's failure
   */
  Future<?> leave(ClientMessage.Leave request) {
    String room = request.room();
    return env.service().rooms().leave(facts.session, room).compose(wasIn -> {
      facts.rooms.leave(room);
      // Leaving ends the room's watch, whatever started it; subscribe {rooms} watches again without membership.
      // The answer follows the watch's end, so no frame of the room comes after it.
      return unwatch(room).map(v -> send(wasIn ? ServerMessages.left(room)
          : ServerMessages.roomError("not_in_room", "this session is not in " + room, room)));
    });
  }

  /**
   * The one place a connection learns it was kicked from a room ({@code presence.kick} with a room; the membership is
   * already gone from the cluster and its {@code room.leave} published): forgets the room and tells the client
   * {@code left} with reason {@code kicked}, and ends its watch of the room. Run in the request queue ({@link ClientConnection#kickedFromRoom}), so
   * {@link SessionFacts#rooms} is exact here. Told nothing when the session is not in the room as far as it knows (a
   * repeated broadcast, or it left meanwhile), nor when the cluster has it in the room again: its own {@code join}
   * re-added it after the kick, and that later join stands (the keyed read costs one call per kick, and kicks are
   * rare). A failed read believes the kick, which did remove the membership.
   *
   * @param room   the room
   * @param detail the kick's reason text for the client, or {@code null}
   * @return completes when decided (never fails on a store failure)
   */
  Future<?> kicked(String room, String detail) {
    facts.fenced.forget(room); // a room nickname lost to self-fencing is not given back after a kick
    if (!facts.rooms.isIn(room)) {
      return Future.succeededFuture();
    }
    return env.service().rooms().isIn(facts.session, room).otherwise(false).compose(rejoined -> {
      if (rejoined) {
        return Future.succeededFuture();
      }
      facts.rooms.leave(room);
      return unwatch(room).map(v -> send(ServerMessages.kickedFrom(room, detail))); // as a leave does
    });
  }
}
