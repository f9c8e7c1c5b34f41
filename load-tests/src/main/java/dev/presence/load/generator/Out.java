package dev.presence.load.generator;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/**
 * The generator's report channel to the orchestrator: one compact JSON object per stdout line. Anything
 * else (Vert.x or Netty logging) goes to stderr, which the orchestrator keeps in a log file.
 */
final class Out {

  private static final PrintStream STDOUT = System.out;

  private Out() {
  }

  /** Writes one line and flushes it (the orchestrator waits on {@code done} lines). Any thread. */
  static void emit(JsonObject line) {
    synchronized (STDOUT) {
      STDOUT.println(line.encode());
      STDOUT.flush();
    }
  }
}
