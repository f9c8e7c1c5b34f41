package dev.presence.presence;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NicknameCheck;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.room.RoomRelease;
import dev.presence.session.LeaveReason;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins, leaves and kicks from rooms, and the room side of a session's end: the one home of the order of the two writes a
 * membership needs (a place in the room's occupancy counters, then the membership on the session's presence entry)
 * and of the room events ({@code room.join}, {@code room.leave}, {@code room.occupied}, {@code room.vacated}).
 *
 * <p>Order: a join reserves its place first, so {@code PRESENCE_ROOM_MAX_MEMBERS} is enforced atomically by the
 * room's entry processor, then writes the membership, and gives the place back if that write adds nothing. Whoever
 * moves a room's count from 0 to 1 publishes {@code room.occupied}, whoever moves it from 1 to 0 {@code room.vacated}:
 * the processors tell exactly one caller, so each transition is published once. A node lost between the two writes
 * leaves a count one off, which the recount repairs (docs/consistency.md, "Rooms").
 *
 * <p>Threading: call from a Vert.x context; futures complete there (the stores guarantee it). Stateless.
 */
public final class RoomMemberships {

  private final PresenceStore presence;
  private final RoomOccupancyStore rooms;
  private final PresenceChannel channel;
  private final PresenceMetrics metrics;
  private final InstantSource clock;
  private final String node;
  private final int maxMembers;
  private final int maxRoomsPerSession;
  private final RoomNickLeases nicks;

  /**
   * @param stores             the cluster maps' ports
   * @param channel            where room events are published
   * @param metrics            where room joins and leaves are counted
   * @param clock              wall clock (epoch ms)
   * @param node               this node's id (named by {@code room.occupied} and {@code room.vacated})
   * @param maxMembers         {@code PRESENCE_ROOM_MAX_MEMBERS}
   * @param maxRoomsPerSession {@code PRESENCE_MAX_ROOMS_PER_SESSION}
   * @param nicks              room nickname leases (claimed with a join, freed with a leave or a kick)
   */
  public RoomMemberships(PresenceStores stores, PresenceChannel channel, PresenceMetrics metrics, InstantSource clock,
      String node, int maxMembers, int maxRoomsPerSession, RoomNickLeases nicks) {
    this.presence = stores.presence();
    this.rooms = stores.rooms();
    this.channel = channel;
    this.metrics = metrics;
    this.clock = clock;
    this.node = node;
    this.maxMembers = maxMembers;
    this.maxRoomsPerSession = maxRoomsPerSession;
    this.nicks = nicks;
  }

  /** @return room nicknames: changes ({@code nick} with a room) and drops after a lost lease */
  public RoomNickLeases nicknames() {
    return nicks;
  }

  /** @return {@code PRESENCE_MAX_ROOMS_PER_SESSION} */
  public int maxRoomsPerSession() {
    return maxRoomsPerSession;
  }

  /**
   * Puts a session in a room, or replaces its meta there if it is in the room already.
   *
   * @param entry   the session as its connection knows it (session, user, nick, node)
   * @param room    a valid room name the session may join
   * @param meta    a JSON object as text (at most 1 KiB) or {@code null}
   * @param known   the membership as the connection knows it when it is in the room already (then no place is taken,
   *                the meta is replaced and a {@code room.update} published), else {@code null}
   * @param nick    a room nickname to claim with a first join (its lease first: {@code nick_taken} joins nothing),
   *                or {@code null}; a repeated join changes the nickname through {@link RoomNickLeases#change}
   * @return joined with the room's counts (and the nickname claimed), or refused ({@code room_full},
   *     {@code room_limit}, {@code nick_taken}); failed with {@code ClusterStoreException} if a store failed (a place
   *     or a nickname taken meanwhile is given back first)
   */
  public Future<RoomJoinOutcome> join(PresenceEntry entry, String room, String meta, RoomMembership known,
      NicknameCheck.Valid nick) {
    if (known == null && nick != null) {
      return joinWithNick(entry, room, meta, nick);
    }
    RoomMembership membership = new RoomMembership(clock.millis(), meta);
    if (known != null) {
      return presence.joinRoom(entry.session(), room, membership, maxRoomsPerSession).compose(write -> switch (write) {
        case UPDATED -> {
          channel.publish(PresenceEvent.roomUpdate(entry, room, known.withMeta(meta), clock.millis()));
          yield counts(room, false);
        }
        // The entry lacked a room its connection believed it was in: written now, so its place is taken too
        // (forced: the member never meant to leave, as for a restore).
        case ADDED -> rooms.reserve(room, entry.user(), Integer.MAX_VALUE).map(admission -> {
          RoomAdmission.Admitted admitted = (RoomAdmission.Admitted) admission;
          if (admitted.occupiedNow()) {
            channel.publish(PresenceEvent.roomOccupied(room, node, clock.millis()));
          }
          return joined(entry.withRoom(room, known.withMeta(meta)), room, admitted);
        });
        case ROOM_LIMIT -> Future.succeededFuture(roomLimit());
        case NO_SESSION -> Future.succeededFuture(sessionEnded(room));
      });
    }
    return afterReserve(entry.withRoom(room, membership), room, membership);
  }

  /** A first join with a room nickname: its lease first, then the join; the lease goes back if no join results. */
  private Future<RoomJoinOutcome> joinWithNick(PresenceEntry entry, String room, String meta, NicknameCheck.Valid nick) {
    return nicks.claim(entry.session(), entry.user(), room, nick).compose(outcome -> {
      if (!(outcome instanceof ClaimOutcome.Granted granted)) {
        return Future.<RoomJoinOutcome>succeededFuture(new RoomJoinOutcome.Refused("nick_taken",
            "nickname is held or reserved in " + room + " by another user"));
      }
      RoomMembership membership = new RoomMembership(clock.millis(), meta, nick.display(), nick.key());
      NickChange.Claimed claimed = new NickChange.Claimed(nick.display(), nick.key(), granted.lease().fencingToken());
      Future<RoomJoinOutcome> joining = afterReserve(entry.withRoom(room, membership), room, membership);
      return joining.transform(done -> {
        if (done.succeeded() && done.result() instanceof RoomJoinOutcome.Joined joined && joined.added()) {
          return Future.<RoomJoinOutcome>succeededFuture(joined.withNick(claimed));
        }
        // No membership came of it: the nickname goes back (a failure is returned as it was).
        Future<?> released = nicks.release(entry.session(), entry.user(), room, nick.key());
        return released.transform(ignored -> joining);
      });
    });
  }

  private RoomJoinOutcome joined(PresenceEntry entry, String room, RoomAdmission.Admitted admitted) {
    metrics.roomJoined();
    channel.publish(PresenceEvent.roomJoin(entry, room, clock.millis()));
    return new RoomJoinOutcome.Joined(room, admitted.occupancy().sessions(), admitted.occupancy().users(), true);
  }

  private static RoomJoinOutcome.Refused sessionEnded(String room) {
    return new RoomJoinOutcome.Refused("unavailable", "the session ended while joining " + room);
  }

  private Future<RoomJoinOutcome> afterReserve(PresenceEntry entry, String room, RoomMembership membership) {
    return rooms.reserve(room, entry.user(), maxMembers).compose(admission -> {
      if (admission instanceof RoomAdmission.Full full) {
        return Future.succeededFuture(new RoomJoinOutcome.Refused("room_full", "room " + room + " holds "
            + full.sessions() + " sessions (limit " + maxMembers + ")"));
      }
      RoomAdmission.Admitted admitted = (RoomAdmission.Admitted) admission;
      if (admitted.occupiedNow()) {
        channel.publish(PresenceEvent.roomOccupied(room, node, clock.millis()));
      }
      return presence.joinRoom(entry.session(), room, membership, maxRoomsPerSession)
          .recover(failure -> giveBack(room, entry.user()).transform(ignored -> Future.failedFuture(failure)))
          .compose(write -> afterWrite(entry, room, admitted, write));
    });
  }

  private Future<RoomJoinOutcome> afterWrite(PresenceEntry entry, String room, RoomAdmission.Admitted admitted,
      MembershipWrite write) {
    if (write == MembershipWrite.ADDED) {
      return Future.succeededFuture(joined(entry, room, admitted));
    }
    // The entry added nothing: the place taken for it goes back.
    return giveBack(room, entry.user()).compose(release -> switch (write) {
      case UPDATED -> Future.succeededFuture(new RoomJoinOutcome.Joined(room, release.occupancy().sessions(),
          release.occupancy().users(), false));
      case ROOM_LIMIT -> Future.succeededFuture(roomLimit());
      default -> Future.succeededFuture(sessionEnded(room));
    });
  }

  /** @return the refusal of a join beyond {@code PRESENCE_MAX_ROOMS_PER_SESSION} */
  public RoomJoinOutcome.Refused roomLimit() {
    return new RoomJoinOutcome.Refused("room_limit", "the session is in " + maxRoomsPerSession
        + " rooms already (limit " + maxRoomsPerSession + ")");
  }

  /**
   * @param room a room name
   * @return its counters (empty when nobody is in it): a keyed read; failed with {@code ClusterStoreException}
   */
  public Future<dev.presence.room.RoomOccupancy> occupancy(String room) {
    return rooms.get(room).map(o -> o.orElse(dev.presence.room.RoomOccupancy.empty(room)));
  }

  private Future<RoomJoinOutcome> counts(String room, boolean added) {
    return rooms.get(room).map(occupancy -> new RoomJoinOutcome.Joined(room,
        occupancy.map(o -> o.sessions()).orElse(0), occupancy.map(o -> o.users()).orElse(0), added));
  }

  private Future<RoomRelease> giveBack(String room, String user) {
    return rooms.release(room, user).onSuccess(release -> {
      if (release.vacatedNow()) {
        channel.publish(PresenceEvent.roomVacated(room, node, clock.millis()));
      }
    });
  }

  /**
   * Reads one page of a room's members and its counts: a keyed read of the occupancy record and an indexed read of
   * the entries, never a scan of every session.
   *
   * @param room  a valid room name
   * @param after exclusive lower bound on the session id, or {@code null} from the start
   * @param limit page size (at least 1)
   * @return the view (an empty room has zero counts and no members); failed with {@code ClusterStoreException}
   */
  public Future<RoomView> view(String room, String after, int limit) {
    return Future.all(rooms.get(room), presence.listRoom(room, after, limit)).map(both -> {
      java.util.Optional<dev.presence.room.RoomOccupancy> occupancy = both.resultAt(0);
      PresencePage members = both.resultAt(1);
      return new RoomView(room, occupancy.map(o -> o.sessions()).orElse(0), occupancy.map(o -> o.users()).orElse(0),
          members);
    });
  }

  /**
   * Every member of a room, for a room watch's snapshot or check ({@code RoomFeed}): an indexed read a page at a time.
   *
   * @param room a valid room name
   * @return the room's sessions ordered by session id; failed with {@code ClusterStoreException}
   */
  public Future<List<PresenceEntry>> members(String room) {
    return presence.listWholeRoom(room);
  }

  /**
   * Several rooms' counters in one batched read (a room watch's periodic check against its view).
   *
   * @param names room names
   * @return room → occupancy for the occupied ones; failed with {@code ClusterStoreException}
   */
  public Future<Map<String, dev.presence.room.RoomOccupancy>> occupancies(java.util.Set<String> names) {
    return rooms.getAll(names);
  }

  /**
   * Lists occupied rooms by name prefix ({@code GET /rooms}, {@code presence.query} by rooms).
   *
   * @param prefix name prefix ({@code ""}: every room)
   * @param after  exclusive lower bound on the name, or {@code null}
   * @param limit  page size (at least 1)
   * @return the page; failed with {@code ClusterStoreException}
   */
  public Future<dev.presence.room.RoomPage> list(String prefix, String after, int limit) {
    return rooms.list(prefix, after, limit);
  }

  /**
   * Takes a session out of a room at its request ({@code leave}).
   *
   * @param session the session
   * @param room    the room
   * @return whether the session was in the room (false: {@code not_in_room}); failed with
   *     {@code ClusterStoreException} if a store failed
   */
  public Future<Boolean> leave(String session, String room) {
    return presence.leaveRoom(session, room).compose(before -> {
      if (before.isEmpty()) {
        return Future.succeededFuture(false);
      }
      return left(before.get(), room, PresenceEvent.LEFT, true).map(true);
    });
  }

  /**
   * Takes sessions out of a room at a kick's request ({@code presence.kick} with a {@code room}, docs/event-bus.md; the
   * caller has checked the kicker's rights). Each membership removed is left like any other (a {@code room.leave},
   * here with reason {@code kicked}, and its place given back, {@code room.vacated} if it was the last): only the call
   * whose write removed it does so, so racing kicks and leaves publish it once. Its owner is then asked to tell the
   * session ({@code left} with reason {@code kicked}); the session stays connected. A session not in the room (or
   * without an entry) is left alone, so a retried kick takes nothing out twice.
   *
   * @param room     the room
   * @param sessions the sessions named: one, or every session of a user as an indexed read found them
   * @param detail   the kick's reason text for the clients, or {@code null}
   * @return the sessions taken out of the room, in the order given; failed with {@code ClusterStoreException} if a
   *     store failed (memberships removed meanwhile stay removed, and their owners are told)
   */
  public Future<List<String>> kick(String room, List<String> sessions, String detail) {
    List<Future<String>> removals = new ArrayList<>(sessions.size());
    for (String session : sessions) {
      removals.add(presence.leaveRoom(session, room).compose(before -> {
        if (before.isEmpty()) {
          return Future.succeededFuture(null);
        }
        channel.requestRoomKick(session, room, detail);
        // The membership is gone whatever the release does: a failed one leaves a count the recount repairs.
        return left(before.get(), room, LeaveReason.KICKED.wireName(), true).transform(released ->
            Future.succeededFuture(session));
      }));
    }
    return Future.all(removals).map(all -> {
      List<String> removed = new ArrayList<>(sessions.size());
      for (int i = 0; i < sessions.size(); i++) {
        if (all.resultAt(i) != null) {
          removed.add(all.resultAt(i));
        }
      }
      return removed;
    });
  }

  /**
   * Whether the cluster has the session in the room now: its connection asks before it believes a kick from the
   * room, which may have been overtaken by the session's own join of the room again (docs/protocol.md §12).
   *
   * @param session the session
   * @param room    the room
   * @return whether its entry has the room (false without an entry): a keyed read; failed with
   *     {@code ClusterStoreException} if the store failed
   */
  public Future<Boolean> isIn(String session, String room) {
    return presence.get(session).map(entry -> entry.map(e -> e.inRoom(room)).orElse(false));
  }

  /**
   * The room side of a session's end, called only by {@code SessionEnd}'s finish with the entry it removed (so once
   * per session): a {@code room.leave} with the session's leave reason and the place given back, for each of its
   * rooms.
   *
   * @param removed the removed entry
   * @param reason  the wire name of the session's leave reason
   * @return completes when every place is given back (a failed release leaves a count the recount repairs)
   */
  Future<Void> ended(PresenceEntry removed, String reason) {
    List<Future<?>> releases = new ArrayList<>(removed.rooms().size());
    for (Map.Entry<String, RoomMembership> room : removed.rooms().entrySet()) {
      // The session's end decided its room nicknames' fate with its global one (SessionEnd): not freed here.
      releases.add(left(removed, room.getKey(), reason, false));
    }
    return Future.join(releases).mapEmpty();
  }

  /**
   * The room nicknames of a restore ({@code SessionRestore}), claimed back before it publishes anything
   * ({@link RoomNickLeases#reclaimAll}).
   *
   * @param restored the entry written back
   * @return completes when every reclaim was answered; failed with {@code ClusterStoreException} if one could not be
   *     made
   */
  Future<Void> reclaimNicks(PresenceEntry restored) {
    return nicks.reclaimAll(restored);
  }

  /**
   * The room side of a restore ({@code SessionRestore}) that wrote a session's entry back with its rooms and claimed
   * back their nicknames ({@link #reclaimNicks}): each room's place is taken again, past
   * {@code PRESENCE_ROOM_MAX_MEMBERS} if need be (the member never left, as for the session slot), and a
   * {@code room.join} published. Fire and forget: a failed reserve leaves a count the recount would repair.
   *
   * @param restored the entry written back
   */
  void restored(PresenceEntry restored) {
    for (String room : restored.rooms().keySet()) {
      rooms.reserve(room, restored.user(), Integer.MAX_VALUE).onSuccess(admission -> {
        if (admission instanceof RoomAdmission.Admitted admitted && admitted.occupiedNow()) {
          channel.publish(PresenceEvent.roomOccupied(room, node, clock.millis()));
        }
        channel.publish(PresenceEvent.roomJoin(restored, room, clock.millis()));
      });
    }
  }

  private Future<Void> left(PresenceEntry entry, String room, String reason, boolean freeNick) {
    metrics.roomLeft(reason);
    channel.publish(PresenceEvent.roomLeave(entry, room, reason, clock.millis()));
    RoomMembership membership = entry.rooms().get(room);
    Future<?> nick = freeNick && membership != null
        ? nicks.release(entry.session(), entry.user(), room, membership.nickKey()) : Future.succeededFuture();
    return Future.join(giveBack(room, entry.user()), nick).mapEmpty();
  }
}
