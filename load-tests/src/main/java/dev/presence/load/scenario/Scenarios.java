package dev.presence.load.scenario;

import java.util.List;

/** Every scenario, in the order {@code --smoke} runs them. */
public final class Scenarios {

  private Scenarios() {
  }

  /** @return all scenarios */
  public static List<Scenario> all() {
    return List.of(new HoldScenario(false), new HoldScenario(true), new HoldScenario(false, true), new PingScenario(),
        new ClaimsScenario(), new ChurnScenario(), new GhostScenario(), new RoomsScenario());
  }

  /**
   * @param name a scenario name
   * @return the scenario
   * @throws IllegalArgumentException listing the names if there is none by that name
   */
  public static Scenario named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown scenario " + name + "; one of "
            + all().stream().map(Scenario::name).toList()));
  }
}
