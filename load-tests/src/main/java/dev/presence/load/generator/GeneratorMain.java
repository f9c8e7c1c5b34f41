package dev.presence.load.generator;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The generator process: {@code generator --id g1 [--local-address 127.0.0.11]}. Reads commands from
 * stdin, one JSON object per line, and exits when stdin ends, so that a generator never outlives an
 * orchestrator that died without stopping it.
 */
public final class GeneratorMain {

  private GeneratorMain() {
  }

  /**
   * Starts the generator and serves commands until stdin ends.
   *
   * @param args {@code --id ID [--local-address ADDRESS] [--tls-trust CERT_PEM]} (with a certificate: wss://,
   *             trusting it)
   * @throws Exception if Vert.x does not start
   */
  public static void main(String[] args) throws Exception {
    String id = "g1";
    String localAddress = null;
    String tlsTrust = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--id" -> id = args[i + 1];
        case "--local-address" -> localAddress = args[i + 1];
        case "--tls-trust" -> tlsTrust = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // One event loop: all connections and drivers share one thread (no locks); the run starts more
    // generator processes when one loop is not enough.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    LoadVerticle verticle = new LoadVerticle(id, localAddress, tlsTrust);
    vertx.deployVerticle(verticle).await();
    Context context = verticle.commandContext();
    Out.emit(new JsonObject().put("type", "ready").put("gen", id).put("pid", ProcessHandle.current().pid()));
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject command = new JsonObject(line);
        if ("exit".equals(command.getString("cmd"))) {
          break;
        }
        context.runOnContext(v -> verticle.handle(command));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("generator " + id + ": command input failed: " + e);
    }
    System.exit(0); // the kernel closes every connection (FIN); the servers see them end
  }
}
