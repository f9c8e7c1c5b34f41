package dev.presence.load.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes {@code report.json} and {@code report.html} into the run's directory and checks them. */
public final class ReportWriter {

  /** File names in the output directory. */
  public static final String JSON = "report.json";
  /** The page for people. */
  public static final String HTML = "report.html";

  private ReportWriter() {
  }

  /**
   * Writes both files (replacing earlier versions: the report is rewritten after every scenario).
   *
   * @param report the report
   * @param dir    the output directory
   * @throws IOException if a file cannot be written
   */
  public static void write(Report report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(JSON), JsonReport.toJson(report).encodePrettily() + "\n");
    Files.writeString(dir.resolve(HTML), HtmlReport.render(report));
  }

  /**
   * The smoke run's assertions: both files exist and are non-empty, every scenario ran without error and
   * has sanity assertions, and all of them hold. Not speed: a slow machine passes.
   *
   * @param report the report
   * @param dir    where it was written
   * @return problems, empty if the report is sane
   */
  public static List<String> sanityProblems(Report report, Path dir) {
    List<String> problems = new ArrayList<>();
    for (String file : List.of(JSON, HTML)) {
      try {
        if (Files.size(dir.resolve(file)) < 100) {
          problems.add(file + " is (almost) empty");
        }
      } catch (IOException e) {
        problems.add(file + " missing: " + e.getMessage());
      }
    }
    for (ScenarioReport s : report.scenarios()) {
      if (s.error() != null) {
        problems.add(s.name() + " failed: " + s.error());
      }
      if (s.sanity().isEmpty()) {
        problems.add(s.name() + " has no sanity assertions");
      }
      s.sanity().stream().filter(c -> !c.ok()).forEach(c -> problems.add(s.name() + ": " + c.name() + " ("
          + c.detail() + ")"));
    }
    return problems;
  }
}
