package dev.presence.load.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole run: facts about the machine and the run ({@code meta}: flags, versions, load average, ...)
 * and one {@link ScenarioReport} per scenario. Scenario thread only.
 */
public final class Report {

  private final Map<String, Object> meta = new LinkedHashMap<>();
  private final List<ScenarioReport> scenarios = new ArrayList<>();

  /** Records a fact about the run. @return this */
  public Report meta(String key, Object value) {
    meta.put(key, value);
    return this;
  }

  /** Adds a scenario's report. */
  public void add(ScenarioReport scenario) {
    scenarios.add(scenario);
  }

  /** @return the facts, in insertion order */
  public Map<String, Object> meta() {
    return meta;
  }

  /** @return the scenarios, in run order */
  public List<ScenarioReport> scenarios() {
    return scenarios;
  }
}
