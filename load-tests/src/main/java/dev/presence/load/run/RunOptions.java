package dev.presence.load.run;

import dev.presence.load.scenario.Scenario;
import dev.presence.load.scenario.Scenarios;
import dev.presence.load.scenario.Size;
import java.nio.file.Path;
import java.util.List;

/**
 * The orchestrator's command line:
 * {@code orchestrate (--smoke | --scenario NAME [--size smoke|full]) --out DIR --node-jar JAR --load-jar JAR}.
 *
 * @param scenarios what to run, in order
 * @param size      smoke or full
 * @param smoke     true for {@code --smoke}: every scenario, smoke size, sanity asserted
 * @param out       report directory
 * @param nodeJar   the node's runnable jar
 * @param loadJar   this jar
 */
public record RunOptions(List<Scenario> scenarios, Size size, boolean smoke, Path out, Path nodeJar, Path loadJar) {

  /**
   * @param args the arguments after {@code orchestrate}
   * @return the options
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RunOptions parse(String[] args) {
    boolean smoke = false;
    String scenario = null;
    Size size = Size.SMOKE;
    Path out = null;
    Path nodeJar = null;
    Path loadJar = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--smoke")) {
        smoke = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--scenario" -> scenario = value;
        case "--size" -> size = Size.parse(value);
        case "--out" -> out = Path.of(value);
        case "--node-jar" -> nodeJar = Path.of(value);
        case "--load-jar" -> loadJar = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (smoke == (scenario != null)) {
      throw new IllegalArgumentException("give either --smoke or --scenario NAME");
    }
    if (out == null || nodeJar == null || loadJar == null) {
      throw new IllegalArgumentException("--out, --node-jar and --load-jar are required");
    }
    List<Scenario> scenarios = smoke ? Scenarios.all() : List.of(Scenarios.named(scenario));
    return new RunOptions(scenarios, smoke ? Size.SMOKE : size, smoke, out.toAbsolutePath(),
        nodeJar.toAbsolutePath(), loadJar.toAbsolutePath());
  }
}
