package dev.presence.load.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured. Built by the scenario as it goes, so that a scenario that fails halfway
 * still reports what it got and why it stopped. Scenario thread only.
 */
public final class ScenarioReport {

  private final String name;
  private final String title;
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final List<Figure> figures = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();
  private final List<Check> sanity = new ArrayList<>();
  private final List<Table> tables = new ArrayList<>();
  private final List<Chart> charts = new ArrayList<>();
  private final Map<String, String> texts = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private String error;
  private double durationSeconds;

  /**
   * @param name  the scenario's command-line name ("hold")
   * @param title one line saying what it does
   */
  public ScenarioReport(String name, String title) {
    this.name = name;
    this.title = title;
  }

  /** Records a parameter (sizes, rates, durations). @return this */
  public ScenarioReport parameter(String key, Object value) {
    parameters.put(key, value);
    return this;
  }

  /** Adds a figure. */
  public void figure(Figure figure) {
    figures.add(figure);
  }

  /** Adds a measured yes/no result. */
  public void check(String checkName, boolean ok, String detail) {
    checks.add(new Check(checkName, ok, detail));
  }

  /** Adds a sanity assertion the smoke run enforces (the report has sessions, numbers, ...). */
  public void sanity(String checkName, boolean ok, String detail) {
    sanity.add(new Check(checkName, ok, detail));
  }

  /** Adds a table. */
  public void table(Table table) {
    tables.add(table);
  }

  /** Adds a chart. */
  public void chart(Chart chart) {
    charts.add(chart);
  }

  /** Adds a preformatted text block (class histograms). */
  public void text(String heading, String body) {
    texts.put(heading, body);
  }

  /** Adds a note (how something was measured, a caveat). */
  public void note(String note) {
    notes.add(note);
  }

  /** Marks the scenario as failed with the reason. */
  public void fail(String reason) {
    error = reason;
  }

  /** Sets the wall time the scenario took, seconds. */
  public void durationSeconds(double seconds) {
    durationSeconds = seconds;
  }

  /** @return the command-line name */
  public String name() {
    return name;
  }

  /** @return the one-line description */
  public String title() {
    return title;
  }

  /** @return parameters in insertion order */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** @return the figures */
  public List<Figure> figures() {
    return figures;
  }

  /** @return the measured checks */
  public List<Check> checks() {
    return checks;
  }

  /** @return the sanity assertions */
  public List<Check> sanity() {
    return sanity;
  }

  /** @return the tables */
  public List<Table> tables() {
    return tables;
  }

  /** @return the charts */
  public List<Chart> charts() {
    return charts;
  }

  /** @return the text blocks by heading */
  public Map<String, String> texts() {
    return texts;
  }

  /** @return the notes */
  public List<String> notes() {
    return notes;
  }

  /** @return why it failed, or null */
  public String error() {
    return error;
  }

  /** @return wall time, seconds */
  public double durationSeconds() {
    return durationSeconds;
  }
}
