package dev.presence.transport;

import dev.presence.address.ClientAddress;
import dev.presence.auth.Identity;
import dev.presence.auth.TokenRejectedException;
import dev.presence.auth.TokenRevokedException;
import dev.presence.config.LimitSettings;
import dev.presence.presence.NickChange;
import dev.presence.presence.SessionStatus;
import dev.presence.session.CloseCode;
import dev.presence.session.HeartbeatPolicy;
import dev.presence.session.LeaveReason;
import dev.presence.session.MessageRateGuard;
import dev.presence.session.SessionLifecycle;
import dev.presence.session.SessionLiveness;
import dev.presence.session.SessionState;
import dev.presence.store.ClientError;
import dev.presence.store.ClientErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket and its session: the socket and its frames, the message rate, and the one close path. The
 * session's state goes through its {@link SessionLifecycle}; {@link SessionJoin} decides hello's outcome,
 * {@link SessionRequests} answers requests, {@link SessionLiveness} keeps the heartbeat and idle clocks, and the
 * cluster side of every end is {@code SessionEnd} (through {@code PresenceService.ends()}).
 *
 * <p>Threading: created on, and every method called from, the event loop of the verticle instance that
 * accepted the socket; all fields are confined to that loop. Requests that touch the cluster run one
 * after another in a {@link RequestQueue} (in the order the client sent them). Whatever path closes the session
 * first (close frame, FIN, RST, send failure, heartbeat timeout, eviction, shutdown) runs the cleanup once, after
 * any request in flight; later paths are no-ops.
 */
final class ClientConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  /** Longest wait (ms) for the cleanup after {@code bye} before the 1000 close frame goes out anyway. */
  static final long BYE_CLOSE_WAIT_MS = 5_000;
  /** How soon a room kick that found the request queue full (the client's own requests) is offered again. */
  static final long ROOM_KICK_RETRY_MS = 100;

  private final ServerWebSocket ws;
  private final SessionEnvironment env;
  /** The token of the upgrade request's {@code Authorization: Bearer} header, or {@code null}. */
  private final String upgradeToken;
  /** Runs once when the socket closes (releases the per-IP count). */
  private final Runnable onSocketClosed;
  /** The client's resolved address (behind trusted proxies: theirs is not it), for the session's log lines. */
  private final ClientAddress client;

  // Event-loop confined state.
  private final SessionLifecycle lifecycle = new SessionLifecycle();
  private final TextMessageAssembler assembler;
  private final SessionLiveness liveness;
  private final TokenDeadline deadline;
  private final MessageRateGuard rate;
  private final RequestQueue requests;
  private final SessionFacts facts = new SessionFacts();
  private final SessionRequests sessionRequests;
  private final StatusPublisher statuses;
  private final SessionJoin join;
  private long helloTimer = -1;
  private boolean socketClosed;
  /** Whether a frame of the message being assembled was over the rate: the message is dropped when complete. */
  private boolean messageRefused;
  private final SessionLeaseChecks leaseChecks;

  /**
   * @param ws             the accepted socket
   * @param env            what the verticle's connections share
   * @param upgradeToken   the bearer token of the upgrade request, or {@code null}
   * @param client         the client's address as {@code UpgradeAdmission} resolved it
   * @param onSocketClosed runs once when the socket closes
   */
  ClientConnection(ServerWebSocket ws, SessionEnvironment env, String upgradeToken, ClientAddress client,
      Runnable onSocketClosed) {
    this.ws = ws;
    this.env = env;
    this.upgradeToken = upgradeToken;
    this.client = client;
    this.onSocketClosed = onSocketClosed;
    this.assembler = new TextMessageAssembler(env.config().maxMessageBytes());
    LimitSettings limits = env.config().limits();
    this.rate = new MessageRateGuard(limits.messagesPerSecond(), limits.messageBurst(),
        limits.rateLimitedBeforeClose(), System.nanoTime());
    this.liveness = new SessionLiveness(env.heartbeat(), env.config().activity().idleAfterMs(), env.clock().millis());
    this.requests = new RequestQueue(lifecycle::isClosed, this::onRequestFailed);
    this.deadline = new TokenDeadline(env.vertx(), env.clock());
    this.statuses = new StatusPublisher(env, facts, requests);
    this.sessionRequests = new SessionRequests(env, facts, ws, this::send, statuses);
    this.join = new SessionJoin(env);
    this.leaseChecks = new SessionLeaseChecks(env, facts, new SessionLeaseChecks.Owner() {
      @Override
      public boolean isActive() {
        return lifecycle.is(SessionState.ACTIVE);
      }

      @Override
      public boolean heardWithin(long now, long timeoutMs) {
        return liveness.heardWithin(now, timeoutMs);
      }

      @Override
      public void send(JsonObject message) {
        ClientConnection.this.send(message);
      }

      @Override
      public void enqueue(Supplier<Future<?>> request) {
        ClientConnection.this.enqueue(request);
      }

      @Override
      public void endedElsewhere() {
        ClientConnection.this.endedElsewhere();
      }
    });
  }

  /** Installs the handlers and the hello timer. */
  void start() {
    env.metrics().connectionOpened();
    ws.frameHandler(guarded(this::onFrame));
    ws.exceptionHandler(this::onTransportError);
    ws.closeHandler(v -> onTransportClosed());
    helloTimer = env.vertx().setTimer(env.config().helloTimeoutMs(), id -> {
      helloTimer = -1;
      if (lifecycle.is(SessionState.AWAITING_HELLO)) {
        env.metrics().refused("hello_timeout");
        close(CloseCode.POLICY_VIOLATION, "hello timeout", LeaveReason.PROTOCOL_ERROR);
      }
    });
  }

  private void onFrame(WebSocketFrame frame) {
    if (lifecycle.isClosed()) {
      return; // what a client sends after its session ended (a flood's tail, say) is dropped undecoded
    }
    // Any inbound frame (text, binary, ping, pong, close) proves the client alive; every one but a close and a pong
    // answering our ping also costs against the rate, so none of them is a free way to keep the event loop busy.
    liveness.heard(env.clock().millis());
    switch (frame.type()) {
      case TEXT, CONTINUATION, BINARY -> onDataFrame(frame);
      case PING -> withinRate(MessageRateGuard.Frame.CONTROL, true); // Vert.x has answered it already
      case PONG -> onPong();
      default -> {
      } // close: Vert.x answers it and the close handler follows
    }
  }

  /** A pong answering our ping is a heartbeat measured; one we did not ask for (RFC 6455 §5.5.3) costs a ping's. */
  private void onPong() {
    long rtt = liveness.pong(System.nanoTime());
    if (rtt >= 0) {
      env.metrics().heartbeatRtt(rtt);
    } else {
      withinRate(MessageRateGuard.Frame.CONTROL, true);
    }
  }

  /**
   * One frame of a message: charged against the rate, then assembled. A message any of whose frames was refused is
   * dropped when complete; it is still assembled, so that its size, its UTF-8 and the fragmentation rules are
   * checked as for any other. One {@code rate_limited} per message: later refused frames of a message already
   * refused count as strikes only.
   */
  private void onDataFrame(WebSocketFrame frame) {
    boolean continuation = frame.type() == WebSocketFrameType.CONTINUATION;
    if (!continuation) {
      messageRefused = false;
    }
    if (!withinRate(MessageRateGuard.Frame.DATA, !(continuation && messageRefused))) {
      messageRefused = true;
      if (lifecycle.isClosed()) {
        return; // abuse: closed
      }
    }
    TextMessageAssembler.Result result = switch (frame.type()) {
      case TEXT -> assembler.text(bytes(frame), frame.isFinal());
      case CONTINUATION -> assembler.continuation(bytes(frame), frame.isFinal());
      default -> {
        assembler.binary(frame.isFinal());
        yield new TextMessageAssembler.Result.Violation(CloseCode.UNSUPPORTED_DATA.code(),
            "binary messages are not supported; send JSON text");
      }
    };
    if (result instanceof TextMessageAssembler.Result.Message message) {
      if (messageRefused) {
        messageRefused = false;
      } else {
        onText(message.text());
      }
    } else if (result instanceof TextMessageAssembler.Result.Violation violation) {
      onViolation(violation);
    }
  }

  private void onViolation(TextMessageAssembler.Result.Violation violation) {
    if (violation.closeCode() == CloseCode.MESSAGE_TOO_BIG.code()) {
      env.metrics().refused("too_large");
    }
    reject(CloseCode.of(violation.closeCode()), violation.errorCode(), violation.reason());
  }

  private static byte[] bytes(WebSocketFrame frame) {
    return frame.binaryData().getBytes();
  }

  private void onText(String text) {
    if (lifecycle.isClosed()) {
      return;
    }
    ProtocolCodec.Decoded decoded = ProtocolCodec.decode(text);
    if (lifecycle.is(SessionState.AWAITING_HELLO)) {
      if (decoded instanceof ProtocolCodec.Decoded.Ok ok && ok.message() instanceof ClientMessage.Hello hello) {
        onHello(hello);
      } else if (decoded instanceof ProtocolCodec.Decoded.Invalid invalid) {
        reject(CloseCode.POLICY_VIOLATION, invalid.code(), invalid.message());
      } else {
        reject(CloseCode.POLICY_VIOLATION, "hello_required", "the first message must be hello");
      }
      return;
    }
    if (decoded instanceof ProtocolCodec.Decoded.Invalid invalid) {
      send(ServerMessages.error(invalid.code(), invalid.message()));
      return;
    }
    ClientMessage message = ((ProtocolCodec.Decoded.Ok) decoded).message();
    if (!(message instanceof ClientMessage.Ping) && !(message instanceof ClientMessage.Refresh)) {
      onActivity();
    }
    if (message instanceof ClientMessage.Ping ping) {
      // Answered at once, not queued: a heartbeat must not wait behind a slow cluster call.
      send(ServerMessages.pong(ping.seq()));
    } else if (message instanceof ClientMessage.Hello) {
      send(ServerMessages.error("bad_request", "hello was already received"));
    } else if (message instanceof ClientMessage.Bye) {
      close(CloseCode.NORMAL, "bye", LeaveReason.BYE);
    } else if (message instanceof ClientMessage.Refresh refresh) {
      onRefresh(refresh.token());
    } else if (sessionRequests.admit(message)) {
      enqueue(() -> sessionRequests.handle(message));
    }
  }

  /**
   * Per-session message rate (token bucket, {@link MessageRateGuard}), charged per inbound frame: a frame over the
   * rate is answered {@code rate_limited} (a data frame's message is dropped; a ping was answered by Vert.x already);
   * a sustained flood (more refusals than the strike bucket holds) closes the session with 1008. Applies to every
   * text message, {@code ping} included: a well-behaved client sends a few per heartbeat.
   *
   * @param frame  the kind of frame that arrived
   * @param answer whether a refusal is answered {@code rate_limited} (not for further frames of a refused message)
   * @return true if within the rate; false if refused (and then, on abuse, the session is closed)
   */
  private boolean withinRate(MessageRateGuard.Frame frame, boolean answer) {
    MessageRateGuard.Verdict verdict = rate.check(frame, System.nanoTime());
    if (verdict == MessageRateGuard.Verdict.PASS) {
      return true;
    }
    if (verdict == MessageRateGuard.Verdict.ABUSE) {
      env.metrics().refused("rate_abuse");
      reject(CloseCode.POLICY_VIOLATION, "rate_abuse", "too many messages over the rate limit; closing");
      // The socket keeps being read (not paused), so the flooder's close frame or FIN ends the connection at once
      // instead of after Vert.x's closing timeout; onFrame drops what still arrives before decoding it.
      return false;
    }
    env.metrics().refused("rate_limited");
    if (answer) {
      LimitSettings limits = env.config().limits();
      send(ServerMessages.rateLimited("messages", "more than " + limits.messagesPerSecond()
          + " messages per second (bursts up to " + limits.messageBurst() + "; a WebSocket ping frame counts a "
          + "quarter); this " + (frame == MessageRateGuard.Frame.DATA ? "message" : "ping or pong frame") + " was refused"));
    }
    return false;
  }

  /**
   * Authentication ({@link SessionJoin}), then the join: one request, the first in the queue. The session is JOINING
   * from the hello on, before its token is checked, because the check may wait (a token naming a key the node has
   * not fetched yet waits for the key set, docs/protocol.md §11.1): what the client sends meanwhile is handled as
   * after hello (a ping answered, requests queued behind the join, a second hello refused; §2), as when the check
   * completed at once, instead of closing the session with {@code hello_required}.
   */
  private void onHello(ClientMessage.Hello hello) {
    cancelHelloTimer();
    if (!env.node().auth().tokensRequired() && hello.user() == null) {
      reject(CloseCode.POLICY_VIOLATION, "bad_request", "field 'user' is required (this node runs without tokens)");
      return;
    }
    lifecycle.moveTo(SessionState.JOINING);
    enqueue(() -> join.authenticate(hello, upgradeToken).transform(result -> {
      if (lifecycle.isClosed()) {
        return Future.succeededFuture(); // closed while the token was checked: nothing was stored
      }
      if (result.failed() && !(result.cause() instanceof TokenRejectedException)) {
        // The revocations could not be read: fail closed, and say so (the client retries, maybe on another node).
        ClientError error = ClientErrors.of(result.cause());
        LOG.warn("hello of a session refused: revocations unreadable: {}", result.cause().toString());
        reject(CloseCode.INTERNAL_ERROR, error.code(), error.message());
        return Future.succeededFuture();
      }
      if (result.failed()) {
        env.metrics().refused(refusal(result.cause()));
        LOG.info("hello refused: {}", result.cause().getMessage());
        reject(CloseCode.POLICY_VIOLATION, "unauthorized", SessionJoin.message(result.cause()));
        return Future.succeededFuture();
      }
      Identity identity = result.result();
      facts.user = identity.user();
      facts.tokenId = identity.tokenId();
      facts.mayWatchAll = mayWatchAll(identity);
      facts.roomGrants = identity.rooms();
      facts.resumable = hello.resumable() && env.node().resumeTokens().isPresent();
      liveness.active(env.clock().millis());
      deadline.schedule(identity.expiresAtMs(), this::onTokenExpired);
      return join.join(hello, facts.user).onSuccess(this::onJoined).onFailure(failure -> {
        LOG.error("session of user {} could not join: {}", facts.user, failure.toString());
        close(CloseCode.INTERNAL_ERROR, "could not join the cluster", LeaveReason.SERVER_ERROR);
      }).recover(failure -> Future.succeededFuture());
    }));
  }

  /**
   * Applies a join's outcome. The session's id and nickname are recorded even if the connection closed meanwhile:
   * the close's cleanup runs after this request and must end the session the cluster now holds.
   */
  private void onJoined(SessionJoin.Outcome outcome) {
    if (outcome instanceof SessionJoin.Refused refused) {
      env.metrics().refused("session_limit"); // nothing was stored, so the close's cleanup finds nothing to end
      reject(CloseCode.POLICY_VIOLATION, "session_limit", refused.message());
      return;
    }
    SessionJoin.Joined joined = (SessionJoin.Joined) outcome;
    facts.session = joined.session();
    facts.status = joined.status();
    facts.connectedAt = env.clock().millis();
    facts.resumeGeneration = joined.resumeGeneration();
    facts.rooms.joinAll(joined.rooms());
    if (joined.nickClaim() != null) {
      sessionRequests.apply(joined.nickClaim());
    } else {
      facts.nick = joined.nick();
      facts.nickKey = joined.nickKey();
    }
    if (lifecycle.isClosed()) {
      return;
    }
    register();
    lifecycle.moveTo(SessionState.ACTIVE);
    LOG.atInfo().setMessage(joined.resumed() ? "session resumed" : "session joined")
        .addKeyValue("session", facts.session).addKeyValue("user", facts.user)
        .addKeyValue("node", env.service().node()).addKeyValue("client", client).log();
    send(welcome(joined.resumed()));
    if (joined.nickClaim() instanceof NickChange.Rejected rejected) {
      send(ServerMessages.error(rejected.code(), rejected.message()));
    }
    if (joined.resumeFailure() != null) {
      send(ServerMessages.error("resume_failed", joined.resumeFailure() + "; this is a new session"));
    }
  }

  /**
   * Registers this connection under its session id. Only a resume can find the id taken on this loop: the cluster
   * has just handed the session to this connection, so the other one is stale (its client reconnected before the
   * server noticed the old connection was gone) and is closed without ending the session.
   */
  private void register() {
    if (!env.registry().register(facts.session, this)) {
      ClientConnection stale = env.registry().get(facts.session);
      LOG.warn("session {} resumed on a new connection; closing the old one", facts.session);
      stale.closeReplaced();
      env.registry().register(facts.session, this);
    }
  }

  private JsonObject welcome(boolean resumed) {
    JsonObject welcome = ServerMessages.welcome(facts.session, env.service().node(), facts.user, facts.nick,
        env.config().heartbeatIntervalMs(), env.config().heartbeatTimeoutMs(), deadline.expiresAt());
    if (facts.resumable) {
      // Every welcome, a resumed session's too, carries a token for the generation the session has now: the one
      // that resumed it names the previous generation and resumes nothing any more.
      welcome.put("resume", env.node().resumeTokens().orElseThrow().issue(facts.user, facts.session,
          facts.resumeGeneration, env.clock().millis()));
    }
    return resumed ? welcome.put("resumed", true) : welcome;
  }

  /** The token expired and no {@code refresh} replaced it: 4003 (docs/protocol.md §11.1). */
  private void onTokenExpired() {
    close(CloseCode.TOKEN_EXPIRED, "token expired; reconnect with a fresh token", LeaveReason.TOKEN_EXPIRED);
  }

  /**
   * A fresh token for the same user replaces the session's deadline; a refused one changes nothing (the session
   * keeps running until the current token expires).
   */
  private void onRefresh(String token) {
    if (!env.node().auth().tokensRequired()) {
      send(ServerMessages.error("bad_request", "this node does not use tokens"));
      return;
    }
    env.node().auth().authenticate(token, facts.user).onComplete(result -> {
      if (lifecycle.isClosed()) {
        return;
      }
      if (result.failed() && !(result.cause() instanceof TokenRejectedException)) {
        ClientError error = ClientErrors.of(result.cause()); // revocations unreadable: the old token still runs
        send(ServerMessages.error(error.code(), error.message()));
      } else if (result.failed()) {
        env.metrics().refused(refusal(result.cause()));
        send(ServerMessages.error("unauthorized", SessionJoin.message(result.cause())));
      } else {
        deadline.schedule(result.result().expiresAtMs(), this::onTokenExpired);
        facts.tokenId = result.result().tokenId(); // a kick by the old token's jti no longer names this session
        facts.mayWatchAll = mayWatchAll(result.result()); // for later subscribes; a running one goes on
        // Later joins follow the fresh token's grants; rooms already joined are kept (a kick ends those).
        facts.roomGrants = result.result().rooms();
        send(ServerMessages.refreshed(deadline.expiresAt()));
      }
    });
  }

  /** @return the refusal metric's reason for a refused token: {@code revoked} or {@code unauthorized} */
  static String refusal(Throwable cause) {
    return cause instanceof TokenRevokedException ? "revoked" : "unauthorized";
  }

  /** Development mode trusts {@code hello.user} as sent, so roles mean nothing there: everything is allowed. */
  private boolean mayWatchAll(Identity identity) {
    return !env.node().auth().tokensRequired() || identity.mayWatchAll();
  }

  /** Runs a cluster request after the ones before it; failures answer the client, never crash it. */
  private void enqueue(Supplier<Future<?>> request) {
    if (!requests.offer(request)) {
      send(ServerMessages.error("too_many_requests", "more than " + RequestQueue.MAX_PENDING
          + " requests are waiting; wait for answers before sending more"));
    }
  }

  /** A request failed: the client is told what {@link ClientErrors} says; a bug closes the session (1011). */
  private void onRequestFailed(Throwable failure) {
    ClientError error = ClientErrors.of(failure);
    if (error.bug()) {
      LOG.error("session {} request failed", facts.session, failure);
      close(CloseCode.INTERNAL_ERROR, "server error", LeaveReason.SERVER_ERROR);
      return;
    }
    LOG.warn("session {} request failed: {}", facts.session, failure.toString());
    send(ServerMessages.error(error.code(), error.message()));
  }

  /**
   * Periodic heartbeat check, from the verticle's timer: pings when due, evicts a silent session, publishes an
   * inactive one idle.
   *
   * @param now epoch ms
   */
  void checkHeartbeat(long now) {
    if (!lifecycle.is(SessionState.ACTIVE)) {
      return;
    }
    if (!facts.status.idle() && liveness.idleAt(now)) {
      updateStatus(facts.status.withIdle(true));
    }
    HeartbeatPolicy.Action action = liveness.check(now, System.nanoTime(), env.pauses().resumedAt());
    if (action == HeartbeatPolicy.Action.EVICT) {
      close(CloseCode.HEARTBEAT_TIMEOUT, "heartbeat timeout", LeaveReason.HEARTBEAT_TIMEOUT);
    } else if (action == HeartbeatPolicy.Action.PING) {
      ws.writePing(Buffer.buffer()).onFailure(this::onSendFailed);
    }
  }

  /**
   * An application message arrived: the session is active again. If it was idle, that is published first, in
   * request order (before the message's own request).
   */
  private void onActivity() {
    liveness.active(env.clock().millis());
    if (facts.status.idle() && lifecycle.is(SessionState.ACTIVE)) {
      updateStatus(facts.status.withIdle(false));
    }
  }

  /** The node's own status change (idle flips) goes through the same interval as the client's. */
  private void updateStatus(SessionStatus next) {
    facts.status = next;
    enqueue(() -> statuses.set(next));
  }

  /** @return the session id if active (its leases are renewed), else {@code null} */
  String activeSession() {
    return lifecycle.is(SessionState.ACTIVE) ? facts.session : null;
  }

  /** @return the session's user, or {@code null} before hello */
  String user() {
    return facts.user;
  }

  /**
   * @return the {@code jti} of the token the session runs on now (after the last accepted {@code refresh}), or
   *     {@code null}
   */
  String tokenId() {
    return facts.tokenId;
  }

  /** @return the normalized nickname held, or {@code null} */
  String nickKey() {
    return facts.nickKey;
  }

  /** @return how many rooms the session is in */
  int roomCount() {
    return facts.rooms.joinedCount();
  }

  /** @return room → the normalized room nickname the session holds there, for each room where it holds one */
  Map<String, String> roomNickKeys() {
    Map<String, String> keys = new HashMap<>();
    facts.rooms.forEachMembership((room, membership) -> {
      if (membership.nickKey() != null) {
        keys.put(room, membership.nickKey());
      }
    });
    return keys;
  }

  /**
   * Ends the session on the cluster's request ({@code presence.evict}: a kick, a takeover, an eviction).
   *
   * @param reason why
   * @param detail free text appended to the close reason ({@code "kicked: <detail>"}, cut to 123 bytes), or
   *               {@code null}
   */
  void evict(LeaveReason reason, String detail) {
    CloseCode code = switch (reason) {
      case TAKEOVER -> CloseCode.REPLACED;
      case KICKED -> CloseCode.KICKED;
      default -> CloseCode.EVICTED;
    };
    close(code, detail == null ? reason.wireName() : reason.wireName() + ": " + detail, reason);
  }

  /**
   * The cluster took this session out of a room at a kick's request ({@code presence.evict} with a room): tells the
   * session through the request queue, so the news lands after a {@code join} or {@code leave} of that room the
   * client sent before ({@link RoomRequests#kicked} decides what to tell). A full queue, of the client's own requests,
   * is offered again {@value #ROOM_KICK_RETRY_MS} ms later: the news is not dropped while the session lives.
   *
   * @param room   the room
   * @param detail the kick's reason text, or {@code null}
   */
  void kickedFromRoom(String room, String detail) {
    if (lifecycle.isClosed()) {
      return;
    }
    if (!requests.offer(() -> sessionRequests.rooms().kicked(room, detail))) {
      env.vertx().setTimer(ROOM_KICK_RETRY_MS, id -> kickedFromRoom(room, detail));
    }
  }

  /** @return what this session does about what the batched renewal found (nickname lost, fenced, entry gone) */
  SessionLeaseChecks leaseChecks() {
    return leaseChecks;
  }

  /**
   * The session was already ended in the cluster by another path (a sweep or a member-loss eviction removed its
   * entry, published its leave and decided its nickname) and its client is not alive: closes the connection with
   * 4002 and cleans up locally only, so that no end runs twice.
   */
  void endedElsewhere() {
    close(CloseCode.EVICTED, LeaveReason.EXPIRED.wireName(), null);
  }

  /** The session was resumed on a newer connection of this loop: close this one, keep the session. */
  private void closeReplaced() {
    close(CloseCode.REPLACED, "resumed on another connection", null);
  }

  /**
   * Closes with 1001 for a node shutdown.
   *
   * @return completes when the session's cluster state is cleaned up
   */
  Future<?> shutdown() {
    close(CloseCode.GOING_AWAY, "node shutting down; reconnect", LeaveReason.SHUTDOWN);
    return requests.drained();
  }

  /**
   * The one close path. Idempotent: the first call wins.
   *
   * @param code   status sent in the close frame if the socket is still open
   * @param reason close frame reason (at most 123 bytes, RFC 6455 §5.5)
   * @param leave  why the session ended, for its end in the cluster; {@code null} when the cluster has no end to
   *               perform for this connection (ended elsewhere, or resumed on another connection)
   */
  private void close(CloseCode code, String reason, LeaveReason leave) {
    if (lifecycle.isClosed()) {
      return;
    }
    boolean joined = !lifecycle.is(SessionState.AWAITING_HELLO);
    lifecycle.moveTo(SessionState.CLOSED);
    cancelHelloTimer();
    deadline.cancel();
    Optional<SessionStatus> heldBack = statuses.close();
    env.registry().remove(facts.session, this);
    if (!joined || leave == null) {
      sendClose(code, reason);
      return;
    }
    if (facts.session != null) {
      env.endSubscriptions(facts.session, facts.rooms.watchedRooms());
    }
    // After bye the close frame waits for the cleanup, so a client that sees 1000 finds its nickname
    // already free; on every other path the socket is closed first, to stop traffic to a bad peer.
    boolean cleanupFirst = leave == LeaveReason.BYE;
    if (!cleanupFirst) {
      sendClose(code, reason);
    }
    // Runs after the requests in flight: a join or a claim granted just before the close is ended too.
    Future<Void> cleanup = requests.finallyRun(() -> endInCluster(leave, heldBack));
    if (cleanupFirst) {
      // Bounded: a slow cluster store must not hold the client's close for longer than this. A timer of this
      // event loop, not Future.timeout: the cleanup future has no context, and its timeout would fire on
      // Netty's global executor thread.
      long timer = env.vertx().setTimer(BYE_CLOSE_WAIT_MS, id -> sendClose(code, reason));
      cleanup.onComplete(done -> {
        env.vertx().cancelTimer(timer);
        sendClose(code, reason);
      });
    }
  }

  /**
   * The cluster side of this connection's close: a resume hold, or the session's end.
   *
   * @param heldBack a status set within the status interval and not yet written: a held session keeps showing its
   *                 last status, so it is written first; an ended session's entry is removed anyway
   */
  private Future<Void> endInCluster(LeaveReason leave, Optional<SessionStatus> heldBack) {
    if (facts.session == null) {
      return Future.succeededFuture(); // the join stored nothing (refused or failed)
    }
    LOG.atInfo().setMessage("session left").addKeyValue("session", facts.session).addKeyValue("user", facts.user)
        .addKeyValue("node", env.service().node()).addKeyValue("reason", leave.wireName())
        .addKeyValue("client", client).log();
    Future<?> done = facts.resumable && leave.holdsResumableSession()
        ? heldBack.<Future<?>>map(status -> env.service().setStatus(facts.session, status)).orElse(
            Future.succeededFuture()).transform(written -> env.service().holds().hold(facts.session, leave,
                env.config().nickGraceMs()))
        : env.service().ends().end(facts.session, leave, liveness.lastHeardAt());
    return done.<Void>mapEmpty().onFailure(t -> LOG.warn("session {} cleanup failed (its leases will expire): {}",
        facts.session, t.toString()));
  }

  private void sendClose(CloseCode code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code.code(), CloseReasons.fit(reason)).onFailure(t -> LOG.debug("close frame not sent: {}", t.toString()));
    }
  }

  private void onTransportClosed() {
    if (!socketClosed) {
      socketClosed = true;
      onSocketClosed.run();
    }
    if (lifecycle.isClosed()) {
      return;
    }
    Short closeStatus = ws.closeStatusCode();
    // Vert.x reports no status (or 1006) when the TCP connection ended without a close frame: RST or FIN.
    boolean abrupt = closeStatus == null || closeStatus == 1006;
    close(CloseCode.NORMAL, "", abrupt ? LeaveReason.RESET : LeaveReason.CLOSED);
  }

  private void onTransportError(Throwable failure) {
    // A reset or a frame over the hard cap lands here; the close handler follows and cleans up.
    LOG.debug("session {} transport error: {}", facts.session, failure.toString());
  }

  private void onSendFailed(Throwable failure) {
    LOG.debug("session {} send failed: {}", facts.session, failure.toString());
    close(CloseCode.GOING_AWAY, "send failed", LeaveReason.SEND_FAILED);
  }

  private void reject(CloseCode code, String errorCode, String message) {
    send(ServerMessages.error(errorCode, message));
    close(code, message, LeaveReason.PROTOCOL_ERROR);
  }

  private void send(JsonObject message) {
    if (lifecycle.isClosed() || ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      // The client is not reading what we send; stop before its queue grows without bound.
      close(CloseCode.POLICY_VIOLATION, "client does not read its messages", LeaveReason.SEND_FAILED);
      return;
    }
    ws.writeTextMessage(message.encode()).onFailure(this::onSendFailed);
  }

  private void cancelHelloTimer() {
    if (helloTimer >= 0) {
      env.vertx().cancelTimer(helloTimer);
      helloTimer = -1;
    }
  }

  /** An exception in one connection's handler closes that connection (1011) and nothing else. */
  private <T> Handler<T> guarded(Handler<T> handler) {
    return value -> {
      try {
        handler.handle(value);
      } catch (RuntimeException e) {
        LOG.error("session {} handler failed", facts.session, e);
        close(CloseCode.INTERNAL_ERROR, "server error", LeaveReason.SERVER_ERROR);
      }
    };
  }
}
