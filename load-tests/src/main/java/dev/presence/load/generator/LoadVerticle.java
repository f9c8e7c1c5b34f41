package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The generator's one verticle: owns the WebSocket client and every driver, runs the commands, paces
 * them with one 10 ms tick and prints a {@code status} line every second. Everything here runs on this
 * verticle's event loop (see the package documentation).
 */
public final class LoadVerticle extends VerticleBase {

  private static final long TICK_MS = 10;

  private final String id;
  private final String localAddress;
  private final String tlsTrust;
  private GeneratorState state;
  private PingDriver ping;
  private ClaimDriver claims;
  private ChurnDriver churn;
  private RoomDriver rooms;
  private final List<Connector> connectors = new ArrayList<>();

  /**
   * @param id           generator id, unique in the run ("g1")
   * @param localAddress source address of its connections (a 127.0.0.x), or null for the kernel's choice
   */
  public LoadVerticle(String id, String localAddress) {
    this(id, localAddress, null);
  }

  /**
   * @param id           generator id, unique in the run ("g1")
   * @param localAddress source address of its connections (a 127.0.0.x), or null for the kernel's choice
   * @param tlsTrust     PEM certificate to trust, connecting with wss://; null for ws://
   */
  public LoadVerticle(String id, String localAddress, String tlsTrust) {
    this.id = id;
    this.localAddress = localAddress;
    this.tlsTrust = tlsTrust;
  }

  @Override
  public Future<?> start() {
    WebSocketClientOptions options = new WebSocketClientOptions()
        // The default caps WebSockets per endpoint at 50; a generator holds up to ~15,000 on one node.
        .setMaxConnections(100_000)
        .setConnectTimeout(30_000)
        // A room snapshot (presence.state) of a 500-member room is about 100 KB, above Vert.x's default 256 KiB
        // message cap only with long user names or meta; a generator must never drop a session over one.
        .setMaxMessageSize(4 * 1024 * 1024)
        .setTcpNoDelay(true);
    if (localAddress != null) {
      // Each source address has its own ~28,000 ephemeral ports (ip_local_port_range); beyond ~60k
      // connections the run spreads generators over 127.0.0.x.
      options.setLocalAddress(localAddress);
    }
    if (tlsTrust != null) {
      // Endpoints are 127.0.0.1 and the run's certificate names localhost: the chain is checked, the name is not
      // (a client-side check that neither server pays for).
      options.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(tlsTrust)).setVerifyHost(false);
    }
    state = new GeneratorState(id, vertx.createWebSocketClient(options), this::onMessage,
        AccessTokens.fromEnvironment(vertx));
    ping = new PingDriver(state);
    claims = new ClaimDriver(state);
    churn = new ChurnDriver(state);
    rooms = new RoomDriver(state);
    state.presenceText = rooms::onPresenceText;
    vertx.setPeriodic(TICK_MS, t -> tick());
    vertx.setPeriodic(1000, t -> status());
    return Future.succeededFuture();
  }

  /** @return the context every command must run on */
  Context commandContext() {
    return context;
  }

  /**
   * Runs one command; must be called on this verticle's context.
   *
   * @param command {@code {"cmd": connect|ping|claims|churn|reset|sessions|joins|roomChurn|storm, "id": ..., ...}}
   */
  void handle(JsonObject command) {
    switch (command.getString("cmd", "")) {
      case "connect" -> {
        Connector connector = new Connector(state, command);
        connectors.add(connector);
        connector.pump();
      }
      case "ping" -> ping.start(command);
      case "claims" -> claims.start(command);
      case "churn" -> churn.start(command);
      case "reset" -> Resetter.reset(state, command);
      case "sessions" -> Resetter.listSessions(state, command);
      case "joins" -> rooms.joins(command);
      case "roomChurn" -> rooms.churn(command);
      case "storm" -> rooms.storm(command);
      default -> Out.emit(new JsonObject().put("type", "done").put("id", command.getString("id"))
          .put("error", "unknown command " + command.getString("cmd")));
    }
  }

  private void onMessage(LoadSession session, JsonObject message) {
    String type = message.getString("type", "");
    switch (type) {
      case "pong" -> ping.onPong(message);
      case "nick.ok", "nick.released" -> claims.onAnswer(session, message);
      case "error" -> {
        // Each driver takes only the errors answering its own pending request.
        claims.onAnswer(session, message);
        rooms.onMessage(session, type, message);
      }
      default -> rooms.onMessage(session, type, message); // joined, left, room presence.*; the rest is ignored
    }
  }

  private void tick() {
    connectors.removeIf(Connector::isDone);
    for (Connector connector : connectors) {
      connector.pump(); // rate-limited connects progress on the tick
    }
    ping.tick();
    claims.tick();
    churn.tick();
    rooms.tick();
  }

  private void status() {
    JsonObject histograms = new JsonObject();
    put(histograms, "connect", state.connectInterval);
    put(histograms, "ping", state.pingInterval);
    put(histograms, "request", state.requestInterval);
    put(histograms, "churn", state.churnInterval);
    put(histograms, "join", state.joinInterval);
    Out.emit(new JsonObject().put("type", "status").put("gen", id).put("t", System.currentTimeMillis())
        .put("open", state.open.size()).put("connecting", state.connecting).put("welcomed", state.welcomed)
        .put("connectFailed", state.connectFailed).put("closedByServer", state.closedByServer)
        .put("pingsSent", state.pingsSent).put("pongs", state.pongs).put("presenceFrames", state.presenceFrames)
        .put("roomAnswers", state.roomAnswers).put("h", histograms));
  }

  private static void put(JsonObject histograms, String name, Histogram interval) {
    if (interval.getTotalCount() > 0) {
      histograms.put(name, Histograms.encode(interval));
      interval.reset();
    }
  }
}
