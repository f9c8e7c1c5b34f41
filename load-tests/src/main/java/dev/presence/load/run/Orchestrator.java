package dev.presence.load.run;

import dev.presence.load.report.Report;
import dev.presence.load.report.ReportWriter;
import dev.presence.load.report.ScenarioReport;
import dev.presence.load.scenario.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The run loop: for each scenario, run it, stop whatever it started (by PID) even if it failed, rewrite
 * the report; at the end prove that no child is left and, for {@code --smoke}, that the report is sane.
 * Main thread.
 */
public final class Orchestrator {

  private Orchestrator() {
  }

  /**
   * @param args see {@link RunOptions}
   * @return the exit status: 0 if every scenario ran (and, for --smoke, the report is sane), else 1; 2 for
   *     bad arguments
   * @throws IOException if the report cannot be written
   */
  public static int run(String[] args) throws IOException {
    RunOptions options;
    try {
      options = RunOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("orchestrate: " + e.getMessage());
      return 2;
    }
    String runId = DateTimeFormatter.ofPattern("MMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    RunContext run = new RunContext(runId, options.size(), options.out(), options.out().resolve("logs"),
        options.nodeJar(), options.loadJar(), new StatusLog());
    Files.createDirectories(run.logDir());
    Report report = RunFacts.describe(new Report(), run);
    List<String> problems = new ArrayList<>();
    for (Scenario scenario : options.scenarios()) {
      ScenarioReport result = new ScenarioReport(scenario.name(), scenario.title());
      result.parameter("size", options.size().label());
      report.add(result);
      long start = System.nanoTime();
      System.out.println("[load] " + scenario.name() + " (" + options.size().label() + ") ...");
      NeighbourCpu neighbours = new NeighbourCpu();
      try {
        scenario.run(run, result);
      } catch (Exception | Error e) {
        result.fail(stackTrace(e));
        problems.add(scenario.name() + " failed: " + e);
      } finally {
        neighbours.close();
        result.parameter("otherProcessesCpuCores", Math.round(neighbours.averageCores() * 100) / 100.0);
        ProcessRegistry.stopAll();
        result.durationSeconds((System.nanoTime() - start) / 1e9);
        ReportWriter.write(report, options.out());
      }
      System.out.printf("[load] %s done in %.0f s%s%n", scenario.name(), result.durationSeconds(),
          result.error() == null ? "" : " (FAILED)");
    }
    RunFacts.finish(report);
    List<String> leftovers = ProcessRegistry.stillAlive();
    report.meta("childProcessesStarted", ProcessRegistry.startedCount());
    report.meta("childProcessesLeftRunning", leftovers);
    if (!leftovers.isEmpty()) {
      problems.add("child processes still running: " + leftovers);
    }
    ReportWriter.write(report, options.out());
    if (options.smoke()) {
      problems.addAll(ReportWriter.sanityProblems(report, options.out()));
    }
    System.out.println("[load] report: " + options.out().resolve(ReportWriter.HTML));
    System.out.println("[load]         " + options.out().resolve(ReportWriter.JSON));
    System.out.println("[load] child processes started: " + ProcessRegistry.startedCount() + ", still running: "
        + leftovers.size());
    problems.forEach(p -> System.out.println("[load] PROBLEM: " + firstLine(p)));
    return problems.isEmpty() ? 0 : 1;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline) + " …";
  }

  private static String stackTrace(Throwable e) {
    StringWriter text = new StringWriter();
    e.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

}
