package dev.presence.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The suite's report: {@code report.json} (every figure) and {@code report.md} (a readable table), per
 * scenario: ghost windows (room views among them), duplicate owners, same-user overlaps, false evictions, crashes,
 * what the faulted node's or client's sessions were told, and the room views' convergence.
 *
 * @param size       "ci" or "full"
 * @param durationMs the whole run
 * @param results    one per scenario
 */
public record FaultReport(String size, long durationMs, List<ScenarioResult> results) {

  /** @return true if every scenario that ran passed every checker */
  public boolean passed() {
    return results.stream().allMatch(ScenarioResult::passed);
  }

  /** Writes report.json and report.md into {@code dir}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("report.json"), toJson().encodePrettily());
      Files.writeString(dir.resolve("report.md"), table());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return every figure as JSON */
  public JsonObject toJson() {
    JsonArray scenarios = new JsonArray();
    for (ScenarioResult r : results) {
      JsonArray ghosts = new JsonArray();
      r.ghosts().forEach(g -> ghosts.add(new JsonObject().put("faultClass", g.faultClass()).put("sessions", g.sessions())
          .put("p50Ms", g.p50()).put("p99Ms", g.p99()).put("maxMs", g.max()).put("boundMs", g.boundMs())
          .put("goalMs", g.goalMs()).put("neverGone", g.neverGone()).put("withinBound", g.withinBound())
          .put("meetsGoal", g.meetsGoal())));
      JsonObject facts = new JsonObject();
      r.facts().forEach((k, v) -> facts.put(k, v instanceof java.util.Map<?, ?> m ? new JsonObject(
          m.entrySet().stream().collect(Collectors.toMap(e -> String.valueOf(e.getKey()), e -> (Object) e.getValue())))
          : v));
      scenarios.add(new JsonObject().put("name", r.name()).put("passed", r.passed()).put("skipped", r.skipped())
          .put("failure", r.failure()).put("durationMs", r.durationMs()).put("sessions", r.sessions())
          .put("events", r.events()).put("ghostWindows", ghosts).put("duplicateOwners", r.duplicateOwners())
          .put("sameUserOverlaps", r.sameUserOverlaps()).put("falseEvictions", r.falseEvictions())
          .put("crashes", new JsonArray(r.crashes())).put("faultedSessionsWereTold", new JsonObject(
              r.faultedTold().entrySet().stream().collect(Collectors.toMap(e -> e.getKey(), e -> (Object) e.getValue()))))
          .put("facts", facts).put("examples", new JsonArray(r.examples())).put("rooms", rooms(r.rooms())));
    }
    return new JsonObject().put("size", size).put("durationMs", durationMs).put("passed", passed())
        .put("scenarios", scenarios);
  }

  private static JsonObject rooms(RoomFigures f) {
    if (f == null) {
      return null;
    }
    JsonArray checks = new JsonArray();
    f.convergence().forEach(c -> checks.add(new JsonObject().put("checkpoint", c.checkpoint())
        .put("watchers", c.watchers()).put("ms", c.ms()).put("boundMs", RoomFigures.CONVERGENCE_BOUND_MS)
        .put("within", c.within()).put("detail", c.detail())));
    return new JsonObject().put("rooms", new JsonArray(f.rooms())).put("watchers", f.watchers())
        .put("members", f.members()).put("convergence", checks).put("gaps", f.gaps())
        .put("unresolvedGaps", f.unresolvedGaps()).put("digestsMatched", f.digestsMatched())
        .put("digestMismatches", f.digestMismatches()).put("corrections", f.corrections())
        .put("falseEvictions", f.falseEvictions()).put("leaveReasons", new JsonObject(f.faultedReasons()
            .entrySet().stream().collect(Collectors.toMap(e -> e.getKey(), e -> (Object) e.getValue()))))
        .put("examples", new JsonArray(f.examples())).put("passed", f.passed());
  }

  /** @return the Markdown table (also printed at the end of a run) */
  public String table() {
    StringBuilder md = new StringBuilder();
    md.append("# Fault-injection report (").append(size).append(", ").append(durationMs / 1000).append(" s)\n\n");
    md.append("| scenario | sessions | fault class | ghost p50 / p99 / max (ms) | bound (ms) | goal (ms) | dup owners "
        + "| same-user overlaps | false evictions | crashes | faulted sessions were told | result |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : results) {
      if (r.skipped() != null) {
        md.append("| ").append(r.name()).append(" | | | | | | | | | | | skipped: ").append(r.skipped()).append(" |\n");
        continue;
      }
      List<GhostStats> ghosts = r.ghosts().isEmpty() ? List.of(GhostStats.of("-", java.util.Map.of(),
          java.util.Map.of(), null)) : r.ghosts();
      for (GhostStats g : ghosts) {
        md.append("| ").append(r.name()).append(" | ").append(r.sessions()).append(" | ").append(g.faultClass())
            .append(" | ").append(g.p50()).append(" / ").append(g.p99()).append(" / ").append(g.max())
            .append(g.neverGone() > 0 ? " (" + g.neverGone() + " never gone)" : "")
            .append(" | ").append(g.boundMs() == null ? "report only" : "p99 ≤ " + g.boundMs())
            .append(" | ").append(g.goalMs() == null ? "-" : "p99 ≤ " + g.goalMs() + (g.meetsGoal() ? " met" : " MISSED"))
            .append(" | ").append(r.duplicateOwners()).append(" | ").append(r.sameUserOverlaps())
            .append(" | ").append(r.falseEvictions()).append(" | ").append(r.crashes().size())
            .append(" | ").append(r.faultedTold().isEmpty() ? "-" : r.faultedTold().toString())
            .append(" | ").append(r.passed() ? "pass" : "FAIL").append(" |\n");
      }
    }
    roomTable(md);
    md.append("\n## Facts\n\n");
    for (ScenarioResult r : results) {
      md.append("- **").append(r.name()).append("** (").append(r.durationMs()).append(" ms): ").append(r.facts());
      if (r.failure() != null) {
        md.append("; failure: ").append(r.failure());
      }
      r.crashes().forEach(c -> md.append("\n  - crash: ").append(c));
      r.examples().forEach(e -> md.append("\n  - example: ").append(e));
      md.append('\n');
    }
    return md.toString();
  }

  /** Room views per scenario (issue #13); their ghost windows are the table's "room views" rows. */
  private void roomTable(StringBuilder md) {
    md.append("\n## Rooms\n\n| scenario | rooms / watchers / members | convergence (ms, each fault; bound ")
        .append(RoomFigures.CONVERGENCE_BOUND_MS).append(") | gaps (unresolved) | digests matched / mismatched "
            + "| corrections (gone) | false room evictions | room leaves of faulted or ended members | result |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : results) {
      RoomFigures f = r.rooms();
      if (f == null) {
        continue;
      }
      md.append("| ").append(Scenario.number(r.name())).append(" | ").append(f.rooms().size()).append(" / ")
          .append(f.watchers()).append(" / ").append(f.members()).append(" | ")
          .append(f.convergence().stream().map(c -> c.ms() < 0 ? "never" : String.valueOf(c.ms()))
              .collect(Collectors.joining(", ")))
          .append(" | ").append(f.gaps()).append(" (").append(f.unresolvedGaps()).append(") | ")
          .append(f.digestsMatched()).append(" / ").append(f.digestMismatches()).append(" | ")
          .append(f.corrections()).append(" | ").append(f.falseEvictions()).append(" | ")
          .append(f.faultedReasons().isEmpty() ? "-" : f.faultedReasons().toString()).append(" | ")
          .append(f.passed() ? "pass" : "FAIL").append(" |\n");
      f.convergence().stream().filter(c -> !c.within()).forEach(c -> md.append("\n  - not converged within bound after ")
          .append(c.checkpoint()).append(": ").append(c.detail()).append('\n'));
      f.examples().forEach(e -> md.append("\n  - false room eviction: ").append(e).append('\n'));
    }
  }
}
