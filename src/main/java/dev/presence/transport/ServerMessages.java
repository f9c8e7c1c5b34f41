package dev.presence.transport;

import dev.presence.presence.JsonFields;
import dev.presence.presence.PresenceDiff;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.PresencePage;
import dev.presence.presence.RoomView;
import dev.presence.presence.SessionStatus;
import dev.presence.presence.SessionStatusJson;
import dev.presence.presence.UserPresence;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomPage;
import dev.presence.session.LeaveReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Builds the server's JSON frames (docs/protocol.md). Pure and thread-safe. Public for {@link #entry}, which the
 * event-bus API (docs/event-bus.md) shares with the WebSocket and HTTP answers.
 */
public final class ServerMessages {

  private ServerMessages() {
  }

  /** @param expiresAt epoch ms when the session's token expires, 0 if never (sent as {@code null}) */
  static JsonObject welcome(String session, String node, String user, String nick, long heartbeatMs,
      long timeoutMs, long expiresAt) {
    return new JsonObject().put("type", "welcome").put("session", session).put("node", node)
        .put("user", user).put("nick", nick).put("heartbeatMs", heartbeatMs).put("timeoutMs", timeoutMs)
        .put("expiresAt", expiresAt > 0 ? expiresAt : null);
  }

  /** @param expiresAt epoch ms when the new token expires, 0 if never */
  static JsonObject refreshed(long expiresAt) {
    return new JsonObject().put("type", "refreshed").put("expiresAt", expiresAt > 0 ? expiresAt : null);
  }

  static JsonObject pong(Object seq) {
    return new JsonObject().put("type", "pong").put("seq", seq);
  }

  static JsonObject nickOk(String nick, long fencingToken) {
    return new JsonObject().put("type", "nick.ok").put("nick", nick).put("fencingToken", fencingToken);
  }

  static JsonObject nickReleased() {
    return new JsonObject().put("type", "nick.released");
  }

  static JsonObject nickRestored(String nick, long fencingToken) {
    return new JsonObject().put("type", "nick.restored").put("nick", nick).put("fencingToken", fencingToken);
  }

  static JsonObject nickLost(String nick) {
    return new JsonObject().put("type", "nick.lost").put("nick", nick);
  }

  static JsonObject error(String code, String message) {
    return new JsonObject().put("type", "error").put("code", code).put("message", message);
  }

  /**
   * A {@code rate_limited} error naming the budget it ran out of (docs/protocol.md §5), so that a client backs off
   * the right requests.
   *
   * @param budget  {@code messages} (every frame) or {@code queries} ({@code who} and {@code subscribe})
   * @param message what was refused and why, for humans
   */
  static JsonObject rateLimited(String budget, String message) {
    return error("rate_limited", message).put("budget", budget);
  }

  /**
   * An error about one room (docs/protocol.md §12): the error frame with the room it is about.
   *
   * @param code    {@code room_full}, {@code room_limit}, {@code room_forbidden}, {@code not_in_room}, ...
   * @param message what the client is told
   * @param room    the room
   */
  static JsonObject roomError(String code, String message, String room) {
    return error(code, message).put("room", room);
  }

  /**
   * @param room     the room joined
   * @param sessions sessions in it right after the join
   * @param users    distinct users in it
   */
  static JsonObject joined(String room, int sessions, int users) {
    return joined(room, sessions, users, null, 0);
  }

  /**
   * @param room         the room joined
   * @param sessions     sessions in it
   * @param users        distinct users in it
   * @param nick         the session's room nickname (display form), or {@code null}
   * @param fencingToken its lease's fencing token (sent only with a nickname)
   */
  static JsonObject joined(String room, int sessions, int users, String nick, long fencingToken) {
    JsonObject joined = new JsonObject().put("type", "joined").put("room", room).put("nick", nick)
        .put("members", sessions).put("users", users);
    return nick == null ? joined : joined.put("fencingToken", fencingToken);
  }

  /**
   * @param nick         the room nickname now held (display form)
   * @param fencingToken its lease's fencing token
   * @param room         the room
   */
  static JsonObject roomNickOk(String nick, long fencingToken, String room) {
    return nickOk(nick, fencingToken).put("room", room);
  }

  /**
   * @param nick the room nickname no longer held
   * @param room the room
   */
  static JsonObject roomNickLost(String nick, String room) {
    return nickLost(nick).put("room", room);
  }

  /**
   * @param nick         the room nickname held again after self-fencing
   * @param fencingToken its lease's token
   * @param room         the room
   */
  static JsonObject roomNickRestored(String nick, long fencingToken, String room) {
    return nickRestored(nick, fencingToken).put("room", room);
  }

  /** @param room the room left at the session's request ({@code leave}) */
  static JsonObject left(String room) {
    return new JsonObject().put("type", "left").put("room", room);
  }

  /**
   * @param room   the room the session was kicked from ({@code presence.kick} with a room; docs/protocol.md §12)
   * @param detail the kick's reason text, or {@code null} (then no {@code detail} field)
   * @return {@code left} with {@code "reason": "kicked"}
   */
  static JsonObject kickedFrom(String room, String detail) {
    JsonObject left = left(room).put("reason", LeaveReason.KICKED.wireName());
    return detail == null ? left : left.put("detail", detail);
  }

  static JsonObject who(PresencePage page) {
    JsonArray sessions = new JsonArray();
    page.entries().forEach(e -> sessions.add(entry(e)));
    return new JsonObject().put("type", "who").put("sessions", sessions).put("truncated", page.next() != null);
  }

  /**
   * @param e a presence entry
   * @return its public view, as every API shows it: session, user, nick, node, since (epoch ms), status, meta, idle,
   *     suspect (held after an abnormal disconnect, resumable)
   */
  public static JsonObject entry(PresenceEntry e) {
    JsonObject json = new JsonObject();
    entry(e, JsonFields.into(json));
    return json;
  }

  /** The one home of {@link #entry}'s shape, written to a tree or a stream. */
  private static JsonFields entry(PresenceEntry e, JsonFields out) {
    out.string("session", e.session()).string("user", e.user()).string("nick", e.nick()).string("node", e.node())
        .number("since", e.connectedAt());
    return SessionStatusJson.write(e.status(), out).bool("suspect", e.isHeld());
  }

  /**
   * @param view a user-level view
   * @return user, online, sessions (each as {@link #entry} plus {@code rooms}, the names of its rooms), lastSeen
   *     (epoch ms or null; only when offline)
   */
  public static JsonObject user(UserPresence view) {
    JsonArray sessions = new JsonArray();
    view.sessions().forEach(e -> sessions.add(entry(e).put("rooms", new JsonArray(e.rooms().keySet().stream()
        .sorted().toList()))));
    return new JsonObject().put("user", view.user()).put("online", view.online()).put("sessions", sessions)
        .put("lastSeen", view.lastSeen().isPresent() ? view.lastSeen().getAsLong() : null);
  }

  /**
   * @param view one page of a room's members
   * @return room, sessions, users, members (each as {@link #entry} plus {@code joinedAt} (epoch ms), {@code roomNick}
   *     (the room nickname or null) and {@code roomMeta}, the membership's meta: a JSON object or null), next (the cursor, or null on the last page)
   */
  public static JsonObject room(RoomView view) {
    JsonArray members = new JsonArray();
    for (PresenceEntry e : view.members().entries()) {
      RoomMembership membership = e.rooms().get(view.room());
      JsonObject member = entry(e);
      if (membership != null) {
        withRoomDetail(member.put("joinedAt", membership.joinedAt()), membership.nick(), membership.meta());
      }
      members.add(member);
    }
    return new JsonObject().put("room", view.room()).put("sessions", view.sessions()).put("users", view.users())
        .put("members", members).put("next", view.members().next());
  }

  /**
   * @param page a page of occupied rooms
   * @return rooms (each {@code room, sessions, users}), next (the cursor, or null on the last page)
   */
  public static JsonObject rooms(RoomPage page) {
    JsonArray rooms = new JsonArray();
    page.rooms().forEach(o -> rooms.add(new JsonObject().put("room", o.room()).put("sessions", o.sessions())
        .put("users", o.users())));
    return new JsonObject().put("rooms", rooms).put("next", page.next());
  }

  static JsonObject statusOk(SessionStatus status) {
    return SessionStatusJson.put(new JsonObject().put("type", "status.ok"), status);
  }

  /**
   * The snapshot that starts (or, after a resync, restarts) a presence subscription.
   *
   * @param entries   the sessions, each as {@link #entry}
   * @param truncated true if more sessions exist than the snapshot lists ({@code all} subscriptions only)
   */
  static JsonObject presenceState(List<PresenceEntry> entries, boolean truncated) {
    JsonArray sessions = new JsonArray();
    entries.forEach(e -> sessions.add(entry(e)));
    return new JsonObject().put("type", "presence.state").put("sessions", sessions).put("truncated", truncated);
  }

  /**
   * One batch of changes. Joins are {@link #entry} objects built from the events (a join's {@code since} is its
   * event time, the hello time). An update carries {@code session, user, node, change} (the event kind) and only
   * the fields that change says something about: {@code nick} for a nickname change; {@code status, meta, idle}
   * (and {@code nick}) for a status change; {@code suspect: true} and the {@code reason} for a session held after
   * losing its connection; {@code suspect: false} and the new {@code node} (and status) for a resumed one. Clients
   * keep the fields an update does not carry. Leaves are {@code session, user, nick, node, reason}, the reason
   * mapped by {@link PresenceDiff#subscriberReason(String)}.
   */
  static JsonObject presenceDiff(PresenceDiff diff) {
    return diff(diff, PresenceDiff::subscriberReason, false);
  }

  private static JsonObject diff(PresenceDiff diff, java.util.function.UnaryOperator<String> reasons,
      boolean roomDetail) {
    JsonArray joins = new JsonArray();
    diff.joins().forEach(e -> joins.add(roomDetail ? withRoomDetail(entry(asEntry(e, e.at())), e.roomNick(),
        e.roomMeta()) : entry(asEntry(e, e.at()))));
    JsonArray leaves = new JsonArray();
    diff.leaves().forEach(e -> leaves.add(new JsonObject().put("session", e.session()).put("user", e.user())
        .put("nick", e.nick()).put("node", e.node()).put("reason", reasons.apply(e.reason()))));
    JsonArray updates = new JsonArray();
    diff.updates().forEach(e -> updates.add(roomDetail ? withRoomDetail(update(e), e.roomNick(), e.roomMeta())
        : update(e)));
    return new JsonObject().put("type", "presence.diff").put("joins", joins).put("leaves", leaves)
        .put("updates", updates);
  }

  /**
   * A room's snapshot for its watchers (docs/protocol.md §12.1): {@link #presenceState}'s shape, each entry with the
   * member's {@code roomNick} and {@code roomMeta}, plus {@code room} and {@code seq}, the feed's sequence number the
   * next diff follows. Encoded as a stream, member by member, without a tree: a snapshot is encoded for every watcher
   * that joins, and a tree cost a map per member per join.
   *
   * @param room    the room
   * @param seq     the sequence number of the last diff this view includes
   * @param members the room's sessions, ordered by session id
   * @return the frame's text
   */
  static String roomState(String room, long seq, List<dev.presence.presence.RoomMember> members) {
    return roomStateFrame(room, seq, members).endObject().text();
  }

  /** {@code presence.state} of a room up to {@code seq} (null for a followed users' state), its object left open. */
  private static JsonFrameWriter roomStateFrame(String room, Long seq, List<dev.presence.presence.RoomMember> members) {
    JsonFrameWriter out = new JsonFrameWriter(64 + members.size() * 224);
    out.startObject().string("type", "presence.state");
    out.startArray("sessions");
    for (dev.presence.presence.RoomMember m : members) {
      roomDetail(entry(m.entry(), out.startObject()), m.roomNick(), m.roomMeta());
      out.endObject();
    }
    out.endArray().bool("truncated", false).string("room", room);
    if (seq == null) {
      out.nullField("seq");
    } else {
      out.number("seq", seq);
    }
    return out;
  }

  /** A member's room nickname and meta beside its entry ({@code roomNick}, {@code roomMeta}: null when none). */
  private static JsonObject withRoomDetail(JsonObject json, String roomNick, String roomMeta) {
    roomDetail(JsonFields.into(json), roomNick, roomMeta);
    return json;
  }

  private static JsonFields roomDetail(JsonFields out, String roomNick, String roomMeta) {
    return out.string("roomNick", roomNick).object("roomMeta", roomMeta);
  }

  /**
   * One batch of a room's changes: {@link #presenceDiff} plus {@code room} and {@code seq} (one more than the
   * previous diff's, or the snapshot's). A leave's reason is {@code left} (the member left the room), {@code gone}
   * (the node found it missing from the cluster: an event was missed), or the session's reason as
   * {@link PresenceDiff#subscriberReason} maps it ({@code kicked} for a kick from the room). Joins and updates carry
   * the member's {@code roomNick} and {@code roomMeta} (an update of change {@code room.update} changed one of them).
   *
   * @param room  the room
   * @param batch the numbered diff
   */
  static JsonObject roomDiff(String room, dev.presence.presence.RoomFeed.Batch batch) {
    return diff(batch.diff(), ServerMessages::roomLeaveReason, true).put("room", room).put("seq", batch.seq());
  }

  private static String roomLeaveReason(String reason) {
    return PresenceEvent.LEFT.equals(reason) || dev.presence.presence.RoomFeed.GONE.equals(reason) ? reason
        : PresenceDiff.subscriberReason(reason);
  }

  /**
   * @param room     the room
   * @param seq      the sequence number of the last diff the digest covers
   * @param sessions the members in that view
   * @param digest   SHA-256 hex of the view's sorted session ids joined by {@code \n}
   *                 ({@link dev.presence.presence.RoomFeed#digestOf})
   */
  static JsonObject roomDigest(String room, long seq, int sessions, String digest) {
    return new JsonObject().put("type", "presence.digest").put("room", room).put("seq", seq)
        .put("sessions", sessions).put("digest", digest);
  }

  /**
   * A large room's counts (sent instead of members above {@code PRESENCE_ROOM_LARGE}, at most once per tick).
   *
   * @param room     the room
   * @param sessions sessions in it
   * @param users    distinct users in it
   */
  static JsonObject roomCounts(String room, int sessions, int users) {
    return new JsonObject().put("type", "presence.counts").put("room", room).put("sessions", sessions)
        .put("users", users);
  }

  /**
   * The sessions of the users a watcher follows in a large room (docs/protocol.md §12.1): {@code presence.state}
   * with {@code room}, {@code users: true} and no {@code seq}.
   *
   * @param room    the room
   * @param members the followed users' sessions in it
   */
  static String roomUsersState(String room, List<dev.presence.presence.RoomMember> members) {
    return roomStateFrame(room, null, members).bool("users", true).endObject().text();
  }

  /**
   * The followed users' changes in a large room: {@link #roomDiff}'s shape with {@code users: true} and no
   * {@code seq}.
   *
   * @param room the room
   * @param diff those users' changes
   */
  static JsonObject roomUsersDiff(String room, PresenceDiff diff) {
    return diff(diff, ServerMessages::roomLeaveReason, true).put("room", room).put("users", true);
  }

  /**
   * A room watcher fell behind: that room's changes were dropped; a fresh {@code presence.state} for the room
   * follows once its socket drained.
   *
   * @param room the room
   */
  static JsonObject roomResync(String room) {
    return presenceResync().put("room", room);
  }

  /** The subscriber fell behind: changes were dropped; a fresh {@code presence.state} follows once it reads. */
  static JsonObject presenceResync() {
    return new JsonObject().put("type", "presence.resync");
  }

  /** A join event as the entry it describes, so {@link #entry} (and any field added to it) serves diffs too. */
  private static PresenceEntry asEntry(PresenceEvent e, long since) {
    return new PresenceEntry(e.session(), e.user(), e.nick(), null, e.node(), since, 0, 0, e.status());
  }

  private static JsonObject update(PresenceEvent e) {
    JsonObject update = new JsonObject().put("session", e.session()).put("user", e.user()).put("node", e.node())
        .put("change", e.event());
    switch (e.event()) {
      case "nick" -> update.put("nick", e.nick());
      case "suspect" -> update.put("suspect", true).put("reason", PresenceDiff.subscriberReason(e.reason()));
      case "resumed" -> update.put("suspect", false).put("nick", e.nick());
      default -> update.put("nick", e.nick());
    }
    if (e.status() != null) {
      SessionStatusJson.put(update, e.status());
    }
    return update;
  }
}
