package dev.presence.transport;

import dev.presence.presence.Availability;

/** A well-formed request from a client (docs/protocol.md lists them). */
sealed interface ClientMessage {

  /**
   * First frame of a session. Any field may be {@code null}: {@code token} is required when the node checks
   * tokens (unless the upgrade request carried {@code Authorization: Bearer}), {@code user} in development mode.
   * {@code resumable} asks for a resume token in the welcome (and for the session to be held for resume after an
   * abnormal disconnect); {@code resume} presents one, to take a held session back.
   */
  record Hello(String user, String nick, String token, boolean resumable, String resume) implements ClientMessage {
    /** A hello that neither asks for a resume token nor resumes. */
    Hello(String user, String nick, String token) {
      this(user, nick, token, false, null);
    }
  }

  /**
   * Sets the session's availability and meta (an application message: it also ends idleness).
   *
   * @param availability online, away or dnd
   * @param meta         a JSON object as text, at most 1 KiB, or {@code null}
   */
  record Status(Availability availability, String meta) implements ClientMessage {
  }

  /** A fresh access token for the same user, before the current one expires. */
  record Refresh(String token) implements ClientMessage {
  }

  /** Application heartbeat; {@code seq} (any JSON value or null) is echoed in the pong. */
  record Ping(Object seq) implements ClientMessage {
  }

  /** Claim or change the nickname. */
  record Nick(String nick) implements ClientMessage {
  }

  /** Release the nickname at once. */
  record Release() implements ClientMessage {
  }

  /** List the cluster's sessions. */
  record Who() implements ClientMessage {
  }

  /**
   * Start (or replace) the connection's presence subscription: a {@code presence.state} snapshot, then
   * {@code presence.diff} batches.
   *
   * @param users the users whose sessions are wanted (1 to {@link ProtocolCodec#MAX_SUBSCRIBED_USERS}, each a
   *              valid user id), or {@code null} for every session of the cluster ({@code "all": true})
   */
  record Subscribe(java.util.Set<String> users) implements ClientMessage {
  }

  /** End the connection's presence subscription (no answer; a no-op without one). */
  record Unsubscribe() implements ClientMessage {
  }

  /**
   * Watch rooms without being a member (docs/protocol.md §12.1): per room a {@code presence.state} with
   * {@code room}, then numbered {@code presence.diff} batches and {@code presence.digest}s. Watching a room again
   * asks for a fresh snapshot.
   *
   * @param rooms      valid room names (1 to {@link ProtocolCodec#MAX_WATCHED_ROOMS})
   * @param countsOnly the watcher wants only {@code presence.counts}, in any room ({@code "counts": true})
   * @param users      users whose sessions the watcher follows even in a large room ({@code "users"}), or
   *                   {@code null}
   */
  record WatchRooms(java.util.Set<String> rooms, boolean countsOnly, java.util.Set<String> users)
      implements ClientMessage {

    /** A plain watch of the rooms. */
    WatchRooms(java.util.Set<String> rooms) {
      this(rooms, false, null);
    }
  }

  /**
   * End the watch of one room (no answer; a no-op if not watching it). Membership is untouched.
   *
   * @param room a valid room name
   */
  record Unwatch(String room) implements ClientMessage {
  }

  /**
   * Join a room, or replace the session's meta there if it is in it already (docs/protocol.md §12).
   *
   * @param room  a valid room name
   * @param meta  a JSON object as text, at most 1 KiB, or {@code null}
   * @param watch whether the session also watches the room (§12.1; default true)
   * @param nick  a room nickname to claim (§12.2; raw, checked by {@code NicknameRules} when handled), or
   *              {@code null}
   * @param token a room token (§12.3; verified when handled), or {@code null}
   */
  record Join(String room, String meta, boolean watch, String nick, String token) implements ClientMessage {

    /** A join without a room token. */
    Join(String room, String meta, boolean watch, String nick) {
      this(room, meta, watch, nick, null);
    }
  }

  /**
   * Claim or change the session's nickname in one room it is in (§12.2).
   *
   * @param nick the raw nickname (checked by {@code NicknameRules} when handled)
   * @param room a valid room name
   */
  record RoomNick(String nick, String room) implements ClientMessage {
  }

  /**
   * Leave a room.
   *
   * @param room a valid room name
   */
  record Leave(String room) implements ClientMessage {
  }

  /** Graceful leave: nickname released at once, close 1000. */
  record Bye() implements ClientMessage {
  }
}
