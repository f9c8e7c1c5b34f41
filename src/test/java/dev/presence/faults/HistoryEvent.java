package dev.presence.faults;

import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One timestamped thing a client was told or did.
 *
 * @param at        epoch milliseconds (one machine, so one clock for the harness and its client processes)
 * @param client    the harness's key for the client session (unique within a run, known before welcome)
 * @param user      the session's user
 * @param port      HTTP port of the node the session is connected to
 * @param type      what happened
 * @param nick      the nickname concerned (welcome, nick.ok, nick.lost, nick.restored, joined), else {@code null}
 * @param code      the close status ({@link EventType#CLOSED}), else {@code null}
 * @param errorCode the error code ({@link EventType#ERROR}), else {@code null}
 * @param session   the server's session id once welcomed, else {@code null}
 * @param room      the room a room nickname event concerns ({@code joined}, {@code left}, and {@code nick.ok},
 *                  {@code nick.lost}, {@code nick.restored} or {@code error} that carry one), {@code null} for the
 *                  global nickname and for what concerns the whole session
 */
public record HistoryEvent(long at, String client, String user, int port, EventType type, String nick,
    Integer code, String errorCode, String session, String room) {

  /** @return a minimal event, for hand-made histories */
  public static HistoryEvent of(long at, String client, String user, int port, EventType type, String nick) {
    return inRoom(at, client, user, port, type, nick, null);
  }

  /** @return a minimal event about a room nickname ({@code room} non-null), for hand-made histories */
  public static HistoryEvent inRoom(long at, String client, String user, int port, EventType type, String nick,
      String room) {
    return new HistoryEvent(at, client, user, port, type, nick, null, null, null, room);
  }

  /**
   * @return the collision key of {@code nick}: the node's own key ({@link NicknameRules}, look-alikes included),
   *     so the checker judges uniqueness exactly as the lease map does; lower case for a nickname the rule refuses
   *     (the harness sends none: the server would have answered nick_invalid, never a grant)
   */
  public String nickKey() {
    return keyOf(nick);
  }

  /** @return the collision key of a nickname as {@link #nickKey()} gives it; {@code null} for {@code null} */
  public static String keyOf(String nick) {
    if (nick == null) {
      return null;
    }
    return NicknameRules.check(nick) instanceof NicknameCheck.Valid valid ? valid.key() : nick.toLowerCase(Locale.ROOT);
  }

  /** @return this event as one JSON object (a client process prints one per line) */
  public JsonObject toJson() {
    return new JsonObject().put("at", at).put("client", client).put("user", user).put("port", port)
        .put("type", type.wire()).put("nick", nick).put("code", code).put("errorCode", errorCode)
        .put("session", session).put("room", room);
  }

  /** @return the event printed by {@link #toJson()} */
  public static HistoryEvent fromJson(JsonObject json) {
    return new HistoryEvent(json.getLong("at"), json.getString("client"), json.getString("user"),
        json.getInteger("port"), EventType.ofWire(json.getString("type")), json.getString("nick"),
        json.getInteger("code"), json.getString("errorCode"), json.getString("session"), json.getString("room"));
  }
}
