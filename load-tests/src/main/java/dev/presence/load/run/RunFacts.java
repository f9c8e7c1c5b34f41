package dev.presence.load.run;

import dev.presence.load.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Facts about the machine and the run for the report's header: cores, memory, Java, JVM flags, load
 * average (the machine may be shared: a busy neighbour shows up there), file limit.
 */
final class RunFacts {

  private RunFacts() {
  }

  static Report describe(Report report, RunContext run) {
    return report.meta("startedAt", Instant.now().toString())
        .meta("size", run.size().label())
        .meta("cores", Runtime.getRuntime().availableProcessors())
        .meta("memTotal", firstLine("/proc/meminfo"))
        .meta("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .meta("vertx", "5.0.10 (ours and bare)")
        .meta("serverJvmFlags", String.join(" ", RunContext.SERVER_JVM_FLAGS) + " (ours and bare alike)")
        .meta("generatorJvmFlags", String.join(" ", RunContext.GENERATOR_JVM_FLAGS))
        .meta("nodeJar", run.nodeJar().toString())
        .meta("openFilesLimit", openFilesLimit())
        .meta("loadAverageAtStart", firstLine("/proc/loadavg"));
  }

  static void finish(Report report) {
    report.meta("finishedAt", Instant.now().toString()).meta("loadAverageAtEnd", firstLine("/proc/loadavg"));
  }

  private static String openFilesLimit() {
    try {
      return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
          .map(l -> l.replaceAll("\\s+", " ").trim()).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String firstLine(String file) {
    try {
      return Files.readAllLines(Path.of(file)).get(0).replaceAll("\\s+", " ").trim();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
