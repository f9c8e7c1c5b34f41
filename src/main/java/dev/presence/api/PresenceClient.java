package dev.presence.api;

import dev.presence.auth.Credential;
import dev.presence.cluster.ClusterNames;
import dev.presence.eventbus.EventBusWrites;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The presence service's event-bus API for another Vert.x application in the same cluster (docs/event-bus.md):
 * queries ({@code presence.query}), kicks ({@code presence.kick}) and the live event stream
 * ({@code presence.events}). The application joins the cluster as a Hazelcast <em>lite member</em> (see
 * {@code HazelcastConfigFactory.liteMember}), so it holds none of the presence maps' partitions.
 *
 * <pre>{@code
 * PresenceClient presence = PresenceClient.create(vertx).withServiceCredential(System.getenv("PRESENCE_SERVICE_TOKEN"));
 * presence.byUser("alice").onSuccess(sessions -> ...);
 * presence.kickUser("alice", "account suspended").onSuccess(result -> ...);
 * presence.kickUserFromRoom("#general", "mallory", "off topic").onSuccess(result -> ...);
 * PresenceClient.Subscription events = presence.subscribe(event -> ...);
 * }</pre>
 *
 * <p>Threading: immutable and thread-safe; the {@code with*} methods return new clients. Every method may be
 * called from any thread and never blocks. Returned futures complete on the Vert.x context that called the
 * method (an event loop of the caller's verticle), or on an event loop of {@code vertx} when called from a
 * non-Vert.x thread.
 *
 * <p>Failures: a request the presence node refuses fails with {@link PresenceApiException} (status and code
 * as in docs/event-bus.md: 400 malformed, 401 no or invalid credential, 403 not allowed, 503 cluster store
 * unavailable). When no presence node is reachable, or the one chosen to answer was leaving as the request was
 * written ({@code eventbus.EventBusWrites}), the future fails with a {@link ReplyException} of type
 * {@code NO_HANDLERS}: asking again reaches another node. When none answers within the timeout, of type
 * {@code TIMEOUT}.
 */
public final class PresenceClient {

  /** Default time a request waits for its reply (ms). */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String authorization;
  private final long timeoutMs;

  private PresenceClient(Vertx vertx, String authorization, long timeoutMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.authorization = authorization;
    this.timeoutMs = timeoutMs;
  }

  /**
   * @param vertx the application's clustered Vert.x, a member of the presence nodes' cluster
   * @return a client without credential: queries and subscriptions work; kicks fail with 401
   */
  public static PresenceClient create(Vertx vertx) {
    return new PresenceClient(vertx, null, DEFAULT_TIMEOUT_MS);
  }

  /**
   * @param credential the cluster's service credential ({@code PRESENCE_SERVICE_TOKEN} of the nodes): may kick
   *                   any session
   * @return a client sending {@code authorization: Service <credential>} with kicks
   */
  public PresenceClient withServiceCredential(String credential) {
    return new PresenceClient(vertx, "Service " + Objects.requireNonNull(credential, "credential"), timeoutMs);
  }

  /**
   * @param token an access token (JWT) the nodes verify: role {@code presence-admin} may kick any session, any
   *              other user only its own. Not usable against nodes in development mode (no tokens): 401
   * @return a client sending {@code authorization: Bearer <token>} with kicks
   */
  public PresenceClient withBearerToken(String token) {
    return new PresenceClient(vertx, "Bearer " + Objects.requireNonNull(token, "token"), timeoutMs);
  }

  /**
   * @param ms how long each request waits for its reply (ms, at least 1)
   * @return a client with that timeout
   */
  public PresenceClient withTimeout(long ms) {
    if (ms < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 ms");
    }
    return new PresenceClient(vertx, authorization, ms);
  }

  /** A session as the API lists it. {@code nick} is the display form or {@code null}; {@code since} epoch ms. */
  public record Session(String session, String user, String nick, String node, long since) {
    static Session fromJson(JsonObject json) {
      return new Session(json.getString("session"), json.getString("user"), json.getString("nick"),
          json.getString("node"), json.getLong("since", 0L));
    }
  }

  /**
   * One page of sessions ordered by session id.
   *
   * @param sessions at most the requested limit
   * @param next     pass as {@code after} for the next page; {@code null} on the last page
   */
  public record Page(List<Session> sessions, String next) {
  }

  /**
   * A nickname's lease.
   *
   * @param nick         display form
   * @param key          normalized form (uniqueness is on this)
   * @param state        {@code held} or {@code grace} (reserved for {@code user} after an abnormal end)
   * @param user         holder (or, in grace, the user it is reserved for)
   * @param session      holding session (in grace: the last one)
   * @param node         that session's node
   * @param fencingToken the lease's fencing token
   * @param expiresAt    epoch ms when the lease ends unless renewed
   */
  public record Nickname(String nick, String key, String state, String user, String session, String node,
      long fencingToken, long expiresAt) {
  }

  /**
   * A presence node (Hazelcast data member) and the sessions it owns.
   *
   * @param node     the node id
   * @param sessions its session count
   */
  public record Member(String node, long sessions) {
  }

  /**
   * One page of a room's members.
   *
   * @param room     the room
   * @param sessions sessions in the room (its occupancy counter)
   * @param users    distinct users in the room
   * @param members  this page's sessions, ordered by session id
   * @param next     pass as {@code after} for the next page; {@code null} on the last page
   */
  public record Room(String room, int sessions, int users, List<Session> members, String next) {
  }

  /**
   * An occupied room and its counts.
   *
   * @param room     the room
   * @param sessions sessions in it
   * @param users    distinct users in it
   */
  public record RoomCount(String room, int sessions, int users) {
  }

  /**
   * One page of occupied rooms ordered by name.
   *
   * @param rooms at most the requested limit
   * @param next  pass as {@code after} for the next page; {@code null} on the last page
   */
  public record RoomPage(List<RoomCount> rooms, String next) {
  }

  /**
   * What a kick did.
   *
   * @param kicked   sessions asked to close (their owners close them with 4004, asynchronously); 0 for a token,
   *                 whose sessions every node closes without counting them here; for a kick from a room, the sessions
   *                 taken out of it (memberships removed; they stay connected)
   * @param sessions their ids
   * @param revoked  the revocation written, or {@code null} if the kick asked for none
   */
  public record KickResult(int kicked, List<String> sessions, Revocation revoked) {

    /**
     * A kick without a revocation.
     *
     * @param kicked   sessions asked to close
     * @param sessions their ids
     */
    public KickResult(int kicked, List<String> sessions) {
      this(kicked, sessions, null);
    }
  }

  /**
   * A revocation written by a kick (docs/security.md, "Revocation").
   *
   * @param kind    {@code user} or {@code jti}
   * @param value   the user id or the token's {@code jti}
   * @param untilMs epoch ms it ends
   */
  public record Revocation(String kind, String value, long untilMs) {
  }

  /**
   * @param limit page size, 1..1000
   * @param after the previous page's {@code next}, or {@code null} for the first page
   * @return one page of the cluster's sessions ordered by session id
   */
  public Future<Page> all(int limit, String after) {
    return query(new JsonObject().put("by", "all").put("limit", limit).put("after", after))
        .map(reply -> new Page(sessions(reply), reply.getString("next")));
  }

  /**
   * @param user a user id
   * @return its sessions, unordered (empty if none)
   */
  public Future<List<Session>> byUser(String user) {
    return query(new JsonObject().put("by", "user").put("user", user)).map(PresenceClient::sessions);
  }

  /**
   * @param node a node id ({@link Member#node()}, {@link Session#node()})
   * @return the sessions it owns, unordered (empty if none)
   */
  public Future<List<Session>> byNode(String node) {
    return query(new JsonObject().put("by", "node").put("node", node)).map(PresenceClient::sessions);
  }

  /**
   * @param session a session id
   * @return the session, or empty if it does not exist (any more)
   */
  public Future<Optional<Session>> bySession(String session) {
    return query(new JsonObject().put("by", "session").put("session", session))
        .map(reply -> sessions(reply).stream().findFirst());
  }

  /**
   * @param nick a nickname in any spelling (normalized like a claim; an invalid one fails with 400)
   * @return its lease, or empty if the nickname is free
   */
  public Future<Optional<Nickname>> byNick(String nick) {
    return query(new JsonObject().put("by", "nick").put("nick", nick))
        .map(j -> Optional.of(new Nickname(j.getString("nick"), j.getString("key"), j.getString("state"),
            j.getString("user"), j.getString("session"), j.getString("node"), j.getLong("fencingToken", 0L),
            j.getLong("expiresAt", 0L))))
        .recover(t -> t instanceof PresenceApiException e && e.status() == 404
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(t));
  }

  /** @return every presence node of the cluster (lite members excluded) with its session count, 0 included */
  public Future<List<Member>> members() {
    return query(new JsonObject().put("by", "members")).map(reply -> {
      List<Member> members = new ArrayList<>();
      JsonArray array = reply.getJsonArray("members", new JsonArray());
      for (int i = 0; i < array.size(); i++) {
        JsonObject m = array.getJsonObject(i);
        members.add(new Member(m.getString("node"), m.getLong("sessions", 0L)));
      }
      return members;
    });
  }

  /**
   * @param session a session id
   * @param reason  shown to the client in the close reason (at most 100 characters, no control characters), or
   *                {@code null}
   * @return what was kicked (0 sessions if it does not exist); 401/403 as in the class comment
   */
  public Future<KickResult> kickSession(String session, String reason) {
    return kick(new JsonObject().put("session", session), reason);
  }

  /**
   * @param user   a user id: every session of it is kicked
   * @param reason as in {@link #kickSession}
   * @return what was kicked
   */
  public Future<KickResult> kickUser(String user, String reason) {
    return kick(new JsonObject().put("user", user), reason);
  }

  /**
   * Kicks every session of a user and refuses every token of it, a fresh one included, on every node until the
   * revocation ends. Needs the service credential or an admin token (403 otherwise).
   *
   * @param user     a user id
   * @param duration how long (1 ms to the nodes' {@code PRESENCE_MAX_REVOCATION_MS}, else 400)
   * @param reason   as in {@link #kickSession}
   * @return what was kicked, and the revocation with its end
   */
  public Future<KickResult> revokeUser(String user, Duration duration, String reason) {
    return kick(new JsonObject().put("user", user).put("revokeForMs", duration.toMillis()), reason);
  }

  /**
   * Refuses one token, by its {@code jti}, on every node until the revocation ends, and closes (4004) the sessions
   * running on it; the user's other tokens keep working. Needs the service credential or an admin token.
   *
   * @param tokenId  the token's {@code jti}
   * @param duration how long (1 ms to the nodes' {@code PRESENCE_MAX_REVOCATION_MS}, else 400)
   * @param reason   as in {@link #kickSession}
   * @return the revocation with its end ({@code kicked} is 0: each node closes its sessions on the token)
   */
  public Future<KickResult> revokeToken(String tokenId, Duration duration, String reason) {
    return kick(new JsonObject().put("jti", tokenId).put("revokeForMs", duration.toMillis()), reason);
  }

  /**
   * @param nick   a nickname: the session holding it is kicked (none if it is free or in grace)
   * @param reason as in {@link #kickSession}
   * @return what was kicked
   */
  public Future<KickResult> kickNick(String nick, String reason) {
    return kick(new JsonObject().put("nick", nick), reason);
  }

  /**
   * Kicks one session from a room (issue #13; docs/event-bus.md): it leaves the room and stays connected, and its
   * client gets {@code left} with reason {@code kicked}. The same rights as {@link #kickSession}.
   *
   * @param room    a room name (docs/protocol.md §12; an invalid one fails with 400)
   * @param session a session id
   * @param reason  shown to the client as the {@code left} message's {@code detail} (at most 100 characters, no
   *                control characters), or {@code null}
   * @return the session in {@code sessions} if it was in the room ({@code kicked} 1), else none (0: not an error,
   *     so a retry is safe); 401/403 as in the class comment
   */
  public Future<KickResult> kickFromRoom(String room, String session, String reason) {
    return kick(new JsonObject().put("room", room).put("session", session), reason);
  }

  /**
   * Kicks every session of a user from a room, as {@link #kickFromRoom} does one: they stay connected. The same
   * rights as {@link #kickUser}.
   *
   * @param room   a room name
   * @param user   a user id: each of its sessions in the room leaves it
   * @param reason as in {@link #kickFromRoom}
   * @return the sessions taken out of the room
   */
  public Future<KickResult> kickUserFromRoom(String room, String user, String reason) {
    return kick(new JsonObject().put("room", room).put("user", user), reason);
  }

  /**
   * Receives every presence event ({@code join}, {@code nick}, {@code leave}; docs/protocol.md §9) published in
   * the cluster from now on. Delivery is best effort (events may be lost around a member loss).
   *
   * @param handler called with each event's JSON body, on the context that called this method (or an event
   *                loop of {@code vertx})
   * @return the subscription: {@link Subscription#ready()} completes once the registration has spread through
   *     the cluster; close it to stop
   */
  public Subscription subscribe(Handler<JsonObject> handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus()
        .consumer(ClusterNames.EVENTS_ADDRESS, message -> handler.handle(message.body()));
    return new Subscription(consumer);
  }

  /** A registration on {@code presence.events}. Thread-safe. */
  public static final class Subscription implements AutoCloseable {

    private final MessageConsumer<JsonObject> consumer;

    private Subscription(MessageConsumer<JsonObject> consumer) {
      this.consumer = consumer;
    }

    /** @return completes when the registration is known cluster-wide (events published later reach it) */
    public Future<Void> ready() {
      return consumer.completion();
    }

    /** @return completes when the registration is removed cluster-wide */
    public Future<Void> unsubscribe() {
      return consumer.unregister();
    }

    /** Unsubscribes without waiting; no event is delivered to the handler after this returns on its context. */
    @Override
    public void close() {
      consumer.unregister();
    }
  }

  /**
   * @param room  a room name (docs/protocol.md §12)
   * @param limit page size, 1..1000
   * @param after the previous page's {@code next}, or {@code null} for the first page
   * @return one page of the room's members with its counts (an empty room: zero counts, no members); fails with
   *     {@link PresenceApiException} {@code bad_request} for an invalid room name
   */
  public Future<Room> room(String room, int limit, String after) {
    return query(new JsonObject().put("by", "room").put("room", room).put("limit", limit).put("after", after))
        .map(reply -> new Room(reply.getString("room"), reply.getInteger("sessions", 0),
            reply.getInteger("users", 0), sessions(reply.getJsonArray("members", new JsonArray())),
            reply.getString("next")));
  }

  /**
   * @param prefix beginning of the room names wanted ({@code ""}: every room)
   * @param limit  page size, 1..1000
   * @param after  the previous page's {@code next}, or {@code null} for the first page
   * @return one page of occupied rooms ordered by name
   */
  public Future<RoomPage> rooms(String prefix, int limit, String after) {
    return query(new JsonObject().put("by", "rooms").put("prefix", prefix).put("limit", limit).put("after", after))
        .map(reply -> {
          List<RoomCount> rooms = new ArrayList<>();
          JsonArray array = reply.getJsonArray("rooms", new JsonArray());
          for (int i = 0; i < array.size(); i++) {
            JsonObject r = array.getJsonObject(i);
            rooms.add(new RoomCount(r.getString("room"), r.getInteger("sessions", 0), r.getInteger("users", 0)));
          }
          return new RoomPage(List.copyOf(rooms), reply.getString("next"));
        });
  }

  private Future<JsonObject> query(JsonObject body) {
    return request(ClusterNames.QUERY_ADDRESS, body, new DeliveryOptions().setSendTimeout(timeoutMs));
  }

  private Future<KickResult> kick(JsonObject body, String reason) {
    if (reason != null) {
      body.put("reason", reason);
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    if (authorization != null) {
      options.addHeader(Credential.HEADER, authorization);
    }
    return request(ClusterNames.KICK_ADDRESS, body, options).map(reply -> {
      List<String> ids = new ArrayList<>();
      reply.getJsonArray("sessions", new JsonArray()).forEach(id -> ids.add((String) id));
      JsonObject revoked = reply.getJsonObject("revoked");
      Revocation revocation = revoked == null ? null : revoked.containsKey("user")
          ? new Revocation("user", revoked.getString("user"), revoked.getLong("until", 0L))
          : new Revocation("jti", revoked.getString("jti"), revoked.getLong("until", 0L));
      return new KickResult(reply.getInteger("kicked", 0), List.copyOf(ids), revocation);
    });
  }

  private Future<JsonObject> request(String address, JsonObject body, DeliveryOptions options) {
    return EventBusWrites.guardRequest(address, () -> vertx.eventBus().<JsonObject>request(address, body, options))
        .map(message -> message.body())
        .recover(t -> Future.failedFuture(t instanceof ReplyException reply
            && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
            ? PresenceApiException.fromWire(reply.failureCode(), reply.getMessage()) : t));
  }

  private static List<Session> sessions(JsonObject reply) {
    return sessions(reply.getJsonArray("sessions", new JsonArray()));
  }

  private static List<Session> sessions(JsonArray array) {
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      sessions.add(Session.fromJson(array.getJsonObject(i)));
    }
    return List.copyOf(sessions);
  }
}
