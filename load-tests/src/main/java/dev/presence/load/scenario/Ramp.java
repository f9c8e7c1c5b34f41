package dev.presence.load.scenario;

import dev.presence.load.run.GeneratorProcess;
import dev.presence.load.run.Generators;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.ServerProcess;
import dev.presence.load.run.Waits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Opens a population and watches it happen: the ramp fails as soon as no session opened or failed for
 * {@link #STALL_MS} (with every server's state and last GC line in the message), instead of waiting out a
 * fixed timeout. The first 50,000-session ghost run on a machine loaded to 9 stalled at 27,000 sessions
 * with the nodes in GC thrash, and waited 15 minutes for it. Scenario thread only.
 */
final class Ramp {

  /** No progress for this long ends the ramp, ms. */
  static final long STALL_MS = 60_000;

  private Ramp() {
  }

  /**
   * Sends one {@code connect} per generator and waits for every {@code done} while sessions keep opening.
   *
   * @param fleet      the servers (for the failure message)
   * @param generators the generators
   * @param commandFor the {@code connect} command of generator {@code i}
   * @return the done lines
   * @throws IllegalStateException if the ramp stalls
   */
  static List<JsonObject> connect(ServerFleet fleet, Generators generators, IntFunction<JsonObject> commandFor) {
    List<CompletableFuture<JsonObject>> futures = new ArrayList<>();
    for (int i = 0; i < generators.processes().size(); i++) {
      futures.add(generators.processes().get(i).send(commandFor.apply(i)));
    }
    long progress = -1;
    long lastProgressAt = System.currentTimeMillis();
    while (!futures.stream().allMatch(CompletableFuture::isDone)) {
      long now = progress(generators);
      if (now != progress) {
        progress = now;
        lastProgressAt = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - lastProgressAt > STALL_MS) {
        throw new IllegalStateException("ramp stalled: no session opened or failed for " + STALL_MS / 1000
            + " s at " + progress + " sessions welcomed or failed; servers: " + describe(fleet));
      }
      Waits.sleep(500);
    }
    List<JsonObject> done = new ArrayList<>();
    for (CompletableFuture<JsonObject> future : futures) {
      JsonObject answer = future.join();
      if (answer.containsKey("error")) {
        throw new IllegalStateException("connect: " + answer.getString("error"));
      }
      done.add(answer);
    }
    return done;
  }

  private static long progress(Generators generators) {
    long sum = 0;
    for (GeneratorProcess g : generators.processes()) {
      sum += g.lastStatus().getLong("welcomed", 0L) + g.lastStatus().getLong("connectFailed", 0L);
    }
    return sum;
  }

  private static String describe(ServerFleet fleet) {
    List<String> states = new ArrayList<>();
    for (int i = 0; i < fleet.servers().size(); i++) {
      ServerProcess server = fleet.servers().get(i);
      states.add(server.name() + (server.process().isAlive() ? "" : " (exited)") + " health " + server.health()
          + ", last GC: " + lastLine(fleet.gcLogs().get(i)));
    }
    return String.join("; ", states);
  }

  private static String lastLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty() ? "none" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
