package dev.presence.load.bare;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event loop's share of the bare server: an HTTP server on the shared port ({@code /ws} upgrades,
 * {@code /stats}, {@code /health} and {@code GET /rooms/{room}}), its connections, and one 1 s tick that pings those
 * due. The options mirror the node's WebSocket listener (frame and message caps, no compression).
 */
public final class BareVerticle extends VerticleBase {

  private final int port;
  private final long heartbeatMs;
  private final BareStats stats;
  private final BareRooms rooms;
  private final PemKeyCertOptions tls;
  /** Accessed only from this verticle's event loop. */
  private final List<BareConnection> connections = new ArrayList<>();
  private HttpServer server;
  private static final String ROOMS_PATH = "/rooms/";
  /** The node's default page of {@code GET /rooms/{room}}. */
  private static final int DEFAULT_PAGE = 100;

  BareVerticle(int port, long heartbeatMs, BareStats stats, BareRooms rooms, PemKeyCertOptions tls) {
    this.port = port;
    this.heartbeatMs = heartbeatMs;
    this.stats = stats;
    this.rooms = rooms;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port)
        .setMaxWebSocketFrameSize(65536).setMaxWebSocketMessageSize(4096)
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    if (tls != null) {
      // The node's TLS settings (dev.presence.tls.ListenerTls): TLS 1.2 and 1.3, ALPN offering http/1.1 only.
      options.setSsl(true).setKeyCertOptions(tls).setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
          .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_1_1));
    }
    server = vertx.createHttpServer(options)
        .webSocketHandshakeHandler(handshake -> {
          if ("/ws".equals(handshake.path())) {
            handshake.accept();
          } else {
            handshake.reject(404);
          }
        })
        .webSocketHandler(ws -> {
          BareConnection connection = new BareConnection(ws, stats, rooms, heartbeatMs, heartbeatMs * 3);
          add(connection);
          connection.start(() -> remove(connection));
        })
        .requestHandler(request -> {
          if ("/stats".equals(request.path()) || "/health".equals(request.path())) {
            request.response().putHeader("content-type", "application/json").end(stats.toJson().encode());
          } else if (request.path().startsWith(ROOMS_PATH) && request.path().length() > ROOMS_PATH.length()) {
            // As the node's read API: GET /rooms/{room}?after=&limit= (the room name URL-encoded).
            String room = java.net.URLDecoder.decode(request.path().substring(ROOMS_PATH.length()),
                java.nio.charset.StandardCharsets.UTF_8);
            String limit = request.getParam("limit");
            request.response().putHeader("content-type", "application/json").end(rooms.page(room,
                request.getParam("after"), limit == null ? DEFAULT_PAGE : Integer.parseInt(limit)));
          } else {
            request.response().setStatusCode(404).end();
          }
        });
    // Checked every second like the node (heartbeat check period min(1 s, interval / 2)), with the first
    // tick jittered like the node's, so that the instances do not ping in lockstep.
    long period = Math.max(10, Math.min(1000, heartbeatMs / 2));
    vertx.setPeriodic(1 + ThreadLocalRandom.current().nextLong(period), period, id -> {
      long now = System.currentTimeMillis();
      for (int i = 0; i < connections.size(); i++) {
        connections.get(i).checkHeartbeat(now);
      }
    });
    return server.listen();
  }

  private void add(BareConnection connection) {
    connection.slot = connections.size();
    connections.add(connection);
  }

  private void remove(BareConnection connection) {
    int slot = connection.slot;
    if (slot < 0) {
      return;
    }
    BareConnection last = connections.remove(connections.size() - 1);
    if (last != connection) {
      connections.set(slot, last);
      last.slot = slot;
    }
    connection.slot = -1;
  }
}
