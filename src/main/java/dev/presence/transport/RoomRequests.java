package dev.presence.transport;

import dev.presence.presence.PresenceEntry;
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
    if (!facts.roomGrants.mayJoin(room)) {
      send.accept(ServerMessages.roomError("room_forbidden", "your token does not let you join " + room, room));
      return Future.succeededFuture();
    }
    boolean already = facts.rooms.containsKey(room);
    var rooms = env.service().rooms();
    if (!already && facts.rooms.size() >= rooms.maxRoomsPerSession()) {
      send.accept(ServerMessages.roomError("room_limit", rooms.roomLimit().message(), room));
      return Future.succeededFuture();
    }
    return rooms.join(asEntry(), room, request.meta(), already).compose(outcome -> {
      if (outcome instanceof RoomJoinOutcome.Joined joined) {
        RoomMembership known = facts.rooms.get(room);
        facts.rooms.put(room, known == null ? new RoomMembership(env.clock().millis(), request.meta())
            : known.withMeta(request.meta()));
        send.accept(ServerMessages.joined(room, joined.sessions(), joined.users()));
        // A repeated join that watches already sends no second snapshot; a member may always watch its room.
        if (request.watch() && !watches().watches(facts.session, room)) {
          return watches().watch(facts.session, ws, room);
        }
      } else {
        RoomJoinOutcome.Refused refused = (RoomJoinOutcome.Refused) outcome;
        send.accept(ServerMessages.roomError(refused.code(), refused.message(), room));
      }
      return Future.succeededFuture();
    });
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
    List<Future<Void>> snapshots = new ArrayList<>();
    for (String room : request.rooms()) {
      if (!facts.roomGrants.mayWatch(room)) {
        send.accept(ServerMessages.roomError("room_forbidden", "your token does not let you watch " + room, room));
      } else if (!watches().watches(facts.session, room) && watches().watched(facts.session) >= limit) {
        send.accept(ServerMessages.roomError("room_limit", "the session watches " + limit + " rooms already (limit "
            + limit + ")", room));
      } else {
        snapshots.add(watches().watch(facts.session, ws, room));
      }
    }
    return Future.all(snapshots);
  }

  private RoomWatches watches() {
    return env.subscriptions().rooms();
  }

  /**
   * @param request a valid {@code leave}
   * @return completes when answered; fails with the cluster store's failure
   */
  Future<?> leave(ClientMessage.Leave request) {
    String room = request.room();
    return env.service().rooms().leave(facts.session, room).map(wasIn -> {
      facts.rooms.remove(room);
      // Leaving ends the room's watch, whatever started it; subscribe {rooms} watches again without membership.
      watches().unwatch(facts.session, room);
      send.accept(wasIn ? ServerMessages.left(room)
          : ServerMessages.roomError("not_in_room", "this session is not in " + room, room));
      return null;
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
    if (!facts.rooms.containsKey(room)) {
      return Future.succeededFuture();
    }
    return env.service().rooms().isIn(facts.session, room).otherwise(false).map(rejoined -> {
      if (!rejoined) {
        facts.rooms.remove(room);
        watches().unwatch(facts.session, room); // as a leave does
        send.accept(ServerMessages.kickedFrom(room, detail));
      }
      return null;
    });
  }

  /** The session as room events name it (session, user, nick, node). */
  private PresenceEntry asEntry() {
    return new PresenceEntry(facts.session, facts.user, facts.nick, facts.nickKey, env.service().node(),
        facts.connectedAt, 0, 0);
  }
}
