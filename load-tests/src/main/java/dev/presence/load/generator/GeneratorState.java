package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.HdrHistogram.Histogram;

/**
 * What the drivers share: the WebSocket client, the endpoints, the welcomed population, the counters and
 * the interval histograms the next {@code status} line reports. Accessed only from the generator's
 * event loop.
 */
final class GeneratorState {

  /** Generator id ("g1"); users, nicknames and reports carry it so that generators never collide. */
  final String id;
  final WebSocketClient client;
  final SessionList open = new SessionList();
  private final List<SocketAddress> endpoints = new ArrayList<>();

  /** Interval histograms, µs, reset after each status line. */
  final Histogram connectInterval = Histograms.newMicros();
  final Histogram pingInterval = Histograms.newMicros();
  final Histogram requestInterval = Histograms.newMicros();
  final Histogram churnInterval = Histograms.newMicros();
  /** Room joins ({@code join} → {@code joined}), µs. */
  final Histogram joinInterval = Histograms.newMicros();

  /** Cumulative counters for the status line. */
  long welcomed;
  long connectFailed;
  long closedByServer;
  long pingsSent;
  long pongs;
  int connecting;
  /** Room {@code presence.*} frames received (state, diff, digest, counts, resync), every session together. */
  long presenceFrames;
  /** Answers to room joins (joined or refused); progress of a join phase on the status line. */
  long roomAnswers;

  /** Routes text frames that are not {@code welcome} (pongs, nickname answers) to the drivers. */
  private final BiConsumer<LoadSession, JsonObject> messages;

  /** Takes {@code presence.*} frames as text before they are parsed (true: handled), or null. */
  BiPredicate<LoadSession, String> presenceText;

  /** Signs each session's access token, or {@code null} when the run does not check tokens. */
  private final AccessTokens tokens;

  GeneratorState(String id, WebSocketClient client, BiConsumer<LoadSession, JsonObject> messages,
      AccessTokens tokens) {
    this.id = id;
    this.client = client;
    this.messages = messages;
    this.tokens = tokens;
  }

  /** @return the index of an endpoint ("host:port"), registering it on first use */
  int endpoint(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    SocketAddress address = SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
        hostPort.substring(0, colon));
    int known = endpoints.indexOf(address);
    if (known >= 0) {
      return known;
    }
    endpoints.add(address);
    return endpoints.size() - 1;
  }

  /** @return "host:port" of an endpoint index */
  String endpointName(int index) {
    SocketAddress address = endpoints.get(index);
    return address.host() + ":" + address.port();
  }

  /**
   * Opens the session's connection and sends {@code hello}; its owner hears the outcome.
   *
   * @param session a new session
   * @param user    {@code hello.user}
   * @param nick    {@code hello.nick}, or null
   */
  void open(LoadSession session, String user, String nick) {
    SocketAddress endpoint = endpoints.get(session.endpoint);
    connecting++;
    client.connect(new WebSocketConnectOptions().setHost(endpoint.host()).setPort(endpoint.port()).setURI("/ws")
            .setTimeout(30_000))
        .onComplete(ar -> {
          if (ar.failed()) {
            connecting--;
            session.owner.onFailed(session, String.valueOf(ar.cause()));
            return;
          }
          WebSocket ws = ar.result();
          session.ws = ws;
          ws.textMessageHandler(text -> onText(session, text));
          ws.exceptionHandler(e -> {
            // The close handler follows and does the bookkeeping; nothing to add here.
          });
          ws.closeHandler(v -> onClose(session));
          ws.writeTextMessage(Frames.hello(user, nick, tokens == null ? null : tokens.mint(user)));
        });
  }

  private void onText(LoadSession session, String text) {
    if (presenceText != null && text.startsWith(RoomDriver.PRESENCE_PREFIX) && presenceText.test(session, text)) {
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (RuntimeException e) {
      return; // not ours to judge; the node's protocol tests do that
    }
    if ("welcome".equals(message.getString("type")) && session.pending == LoadSession.Pending.HELLO) {
      connecting--;
      session.pending = LoadSession.Pending.NONE;
      session.sessionId = message.getString("session");
      session.nick = message.getString("nick");
      session.owner.onWelcome(session);
    } else {
      messages.accept(session, message);
    }
  }

  private void onClose(LoadSession session) {
    if (session.pending == LoadSession.Pending.HELLO) {
      connecting--;
      session.owner.onFailed(session, "closed before welcome (" + session.ws.closeStatusCode() + " "
          + session.ws.closeReason() + ")");
    } else {
      session.owner.onClosed(session);
    }
  }
}
