package dev.presence.load.bare;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The bare server process: {@code bare --port P [--heartbeat-ms 10000] [--instances N] [--room-large 1000]
 * [--tls-cert PEM --tls-key PEM]}. Started by the
 * orchestrator with the node's JVM flags; exits when stdin ends (the orchestrator is gone) or on SIGTERM.
 */
public final class BareMain {

  private BareMain() {
  }

  /**
   * Starts the server and blocks until stdin ends.
   *
   * @param args {@code --port P [--heartbeat-ms MS] [--instances N] [--room-large N]}; instances default to the
   *             cores, like the node's {@code PRESENCE_VERTICLE_INSTANCES}; room-large is the node's
   *             {@code PRESENCE_ROOM_LARGE} (default 1,000)
   * @throws Exception if it cannot listen
   */
  public static void main(String[] args) throws Exception {
    int port = 0;
    long heartbeatMs = 10_000;
    int instances = Runtime.getRuntime().availableProcessors();
    String tlsCert = null;
    String tlsKey = null;
    int roomLarge = 1000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--heartbeat-ms" -> heartbeatMs = Long.parseLong(args[i + 1]);
        case "--instances" -> instances = Integer.parseInt(args[i + 1]);
        case "--tls-cert" -> tlsCert = args[i + 1];
        case "--tls-key" -> tlsKey = args[i + 1];
        case "--room-large" -> roomLarge = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // Default VertxOptions, like the node (its only change is the metrics SPI).
    Vertx vertx = Vertx.vertx();
    BareStats stats = new BareStats();
    BareRooms rooms = new BareRooms(vertx, roomLarge, BareConnection.NODE);
    int listenPort = port;
    long interval = heartbeatMs;
    PemKeyCertOptions tls = tlsCert == null ? null : new PemKeyCertOptions().setCertPath(tlsCert).setKeyPath(tlsKey);
    vertx.deployVerticle(() -> new BareVerticle(listenPort, interval, stats, rooms, tls),
        new DeploymentOptions().setInstances(instances)).await();
    System.out.println("bare server listening on 127.0.0.1:" + port + " with " + instances + " instances"
        + (tls == null ? "" : ", TLS"));
    while (System.in.read() >= 0) {
      // wait for stdin to end
    }
    System.exit(0);
  }
}
