package dev.presence.load.scenario;

import dev.presence.load.report.ScenarioReport;
import dev.presence.load.run.RunContext;

/** One named load scenario. Runs on the orchestrator's main thread. */
public interface Scenario {

  /** @return the command-line name ("hold") */
  String name();

  /**
   * Runs the scenario at the run's size and reports into {@code report}; may throw, after which the
   * orchestrator stops every process it started and records the failure in the same report.
   *
   * @param run    the run
   * @param report where to put figures as they are measured
   * @throws Exception any failure of the scenario itself
   */
  void run(RunContext run, ScenarioReport report) throws Exception;

  /** @return one line for the report's heading */
  String title();
}
