package dev.presence.load;

import dev.presence.load.bare.BareMain;
import dev.presence.load.generator.GeneratorMain;
import dev.presence.load.run.Orchestrator;
import java.util.Arrays;

/**
 * Entry point of {@code presence-load.jar}: the first argument names the role this JVM plays.
 * {@code load-tests/run} starts the orchestrator; the orchestrator starts the other roles.
 */
public final class Main {

  private Main() {
  }

  /**
   * Runs one role.
   *
   * @param args {@code orchestrate|generator|bare} followed by that role's arguments
   * @throws Exception whatever the role throws; the JVM then exits non-zero
   */
  public static void main(String[] args) throws Exception {
    String role = args.length == 0 ? "" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (role) {
      case "orchestrate" -> System.exit(Orchestrator.run(rest));
      case "generator" -> GeneratorMain.main(rest);
      case "bare" -> BareMain.main(rest);
      default -> {
        System.err.println("usage: java -jar presence-load.jar orchestrate|generator|bare [options]");
        System.exit(2);
      }
    }
  }
}
