package dev.presence.transport;

import dev.presence.address.ClientAddress;
import dev.presence.auth.Identity;
import dev.presence.session.CloseCode;
import dev.presence.session.TokenBucket;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS bridge's sockets held to the rules of {@code /ws} connections (issue 14 §4; a draining node
 * refuses them before this, {@link UpgradeAdmission#refuseWhileDraining}): the per-IP connection limit counts
 * them with the WebSocket sessions, each socket's frames pass a token bucket of the session message rate, and
 * with tokens required a socket lives only as long as its token: one that has not sent a frame with a valid
 * token within the hello timeout is closed (browsers cannot set headers on a WebSocket, so the creation request
 * is not looked at), and one whose last valid token expires is closed at that {@code exp}
 * ({@link CloseCode#TOKEN_EXPIRED}). Every {@code send}, {@code publish} and {@code register} must carry a valid
 * token ({@link EventBusBridge#bearerToken}); a refused frame is answered {@code err rejected} by the bridge and
 * counted as {@code refused{code="unauthorized"}} or {@code "rate_limited"}.
 *
 * <p>Threading: one instance per verticle instance, called by that verticle's bridge on its event loop only
 * (the map of sockets is confined to it).
 */
final class BridgeSockets implements Handler<BridgeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeSockets.class);

  private final Vertx vertx;
  private final NodeServices node;
  private final Function<SockJSSocket, ClientAddress> clientAddress;
  private final Map<SockJSSocket, Held> held = new HashMap<>();

  /** What this node keeps about one open bridge socket. */
  private static final class Held {
    final ClientAddress client;
    final TokenBucket rate;
    int refusedInARow;
    long timer = -1;

    Held(ClientAddress client, TokenBucket rate) {
      this.client = client;
      this.rate = rate;
    }
  }

  /**
   * @param vertx      the verticle's Vert.x (timers)
   * @param node          limits, per-address counts, metrics and the authenticator
   * @param clientAddress the address a socket is limited and logged under (the one rule of {@code /ws})
   */
  BridgeSockets(Vertx vertx, NodeServices node, Function<SockJSSocket, ClientAddress> clientAddress) {
    this.vertx = vertx;
    this.node = node;
    this.clientAddress = clientAddress;
  }

  /** @return bridge sockets this verticle instance holds open */
  int open() {
    return held.size();
  }

  @Override
  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> created(event);
      case SOCKET_CLOSED -> closed(event.socket());
      case SEND, PUBLISH, REGISTER -> fromClient(event);
      default -> event.complete(true);
    }
  }

  private void created(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    ClientAddress client = clientAddress.apply(socket);
    if (!node.connectionsPerIp().tryAcquire(client)) {
      node.metrics().refused("connection_limit");
      event.complete(false);
      return;
    }
    Held socketState = new Held(client, new TokenBucket(node.config().limits().messageBurst(),
        node.config().limits().messagesPerSecond(), System.nanoTime()));
    held.put(socket, socketState);
    if (node.auth().tokensRequired()) {
      // Until a valid token is seen, the socket may only wait for one, and not for long.
      socketState.timer = vertx.setTimer(node.config().helloTimeoutMs(), id -> close(socket,
          CloseCode.POLICY_VIOLATION, "no valid token within " + node.config().helloTimeoutMs() + " ms"));
    }
    event.complete(true);
  }

  private void closed(SockJSSocket socket) {
    Held socketState = held.remove(socket);
    if (socketState != null) {
      vertx.cancelTimer(socketState.timer);
      node.connectionsPerIp().release(socketState.client);
    }
  }

  private void fromClient(BridgeEvent event) {
    Held socketState = held.get(event.socket());
    if (socketState == null) {
      event.complete(false);
      return;
    }
    if (!socketState.rate.tryTake(System.nanoTime())) {
      node.metrics().refused("rate_limited");
      event.complete(false);
      if (++socketState.refusedInARow >= node.config().limits().rateLimitedBeforeClose()) {
        close(event.socket(), CloseCode.POLICY_VIOLATION, "rate_abuse");
      }
      return;
    }
    socketState.refusedInARow = 0;
    if (!node.auth().tokensRequired()) {
      event.complete(true);
      return;
    }
    String token = EventBusBridge.bearerToken(event.getRawMessage());
    if (token == null) {
      node.metrics().refused("unauthorized");
      event.complete(false);
      return;
    }
    node.auth().authenticate(token, null).onComplete(ar -> {
      if (ar.failed()) {
        node.metrics().refused(ClientConnection.refusal(ar.cause()));
        event.complete(false);
        return;
      }
      liveUntil(event.socket(), ar.result());
      if (!mayRead(ar.result(), event.getRawMessage())) {
        node.metrics().refused("room_forbidden");
        event.complete(false);
        return;
      }
      event.complete(true);
    });
  }

  /**
   * A token's rooms claim governs room queries as it governs watching (docs/security.md): {@code presence.query} by
   * {@code room} needs the right to watch that room, and the list of every room ({@code by: rooms}) the right to
   * watch everything. Other queries are open to every valid token, as before.
   */
  private static boolean mayRead(Identity identity, JsonObject frame) {
    if (frame == null || !(frame.getValue("body") instanceof JsonObject body)) {
      return true;
    }
    Object by = body.getValue("by");
    if ("room".equals(by)) {
      return body.getValue("room") instanceof String room && identity.mayReadRoom(room);
    }
    return !"rooms".equals(by) || identity.mayWatchAll();
  }

  /** A valid token was shown: the socket may stay until it expires (a later, longer token extends this). */
  private void liveUntil(SockJSSocket socket, Identity identity) {
    Held socketState = held.get(socket);
    if (socketState == null || identity.expiresAtMs() <= 0) {
      return;
    }
    vertx.cancelTimer(socketState.timer);
    long in = Math.max(1, identity.expiresAtMs() - node.clock().millis());
    socketState.timer = vertx.setTimer(in, id -> close(socket, CloseCode.TOKEN_EXPIRED, "token expired"));
  }

  private void close(SockJSSocket socket, CloseCode code, String reason) {
    if (held.containsKey(socket)) {
      LOG.info("closing bridge socket from {}: {}", held.get(socket).client, reason);
      socket.close(code.code(), reason);
    }
  }
}
