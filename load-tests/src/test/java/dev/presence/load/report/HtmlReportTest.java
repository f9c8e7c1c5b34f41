package dev.presence.load.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static Report sample() {
    ScenarioReport hold = new ScenarioReport("hold", "sessions held on one node");
    hold.parameter("sessions", 19_000);
    hold.figure(Figure.of("connect rate", "/s", 700, 1000, Goal.ratioAtLeast(0.7, "≥ 70 % of bare"), null));
    hold.figure(Figure.of("heap per session", "bytes", 9000, 4000, Goal.ratioAtMost(2.0, "≤ 2 × bare"), null));
    hold.figure(Figure.oursOnly("Hazelcast operations", "/s", Double.NaN, null, "not exported"));
    hold.figure(Figure.oursOnly("heartbeat RTT p99", "ms", Double.NaN, Goal.atMost(50, "≤ 50 ms"), null));
    hold.sanity("ours holds sessions", true, "19000");
    hold.text("Class histogram, ours", "   1:  10  100  <script>");
    hold.chart(new Chart("Sessions over time", "s", "sessions",
        List.of(new Series("ours", List.of(new double[] {0, 0}, new double[] {1, 19_000})))));
    Report report = new Report().meta("cores", 2);
    report.add(hold);
    return report;
  }

  @Test
  void figures_show_ratio_and_verdict_and_a_missing_number_as_n_a() {
    String html = HtmlReport.render(sample());
    assertTrue(html.contains("0.70×"));
    assertTrue(html.contains("class=\"PASS\">pass"), "0.70 meets ≥ 0.7");
    assertTrue(html.contains("class=\"MISS\">miss"), "2.25 × bare misses ≤ 2 ×");
    assertTrue(html.contains(">n/a<"));
    assertTrue(html.contains("class=\"NA\">na"), "a goal without a number is n/a, neither pass nor miss");
    assertTrue(html.contains("<svg"));
    assertFalse(html.contains("<script>"), "report text is escaped");
  }

  @Test
  void json_has_the_same_figures_with_nulls_for_missing_numbers() {
    JsonObject json = JsonReport.toJson(sample());
    JsonObject hold = json.getJsonArray("scenarios").getJsonObject(0);
    JsonObject rate = hold.getJsonArray("figures").getJsonObject(0);
    assertEquals(0.7, rate.getDouble("ratio"), 1e-9);
    assertEquals("PASS", rate.getString("verdict"));
    assertNull(hold.getJsonArray("figures").getJsonObject(2).getValue("ours"));
    assertEquals("NONE", hold.getJsonArray("figures").getJsonObject(2).getString("verdict"), "no goal");
  }

  @Test
  void a_written_report_is_sane_and_a_failed_scenario_is_not(@TempDir Path dir) throws Exception {
    Report report = sample();
    ReportWriter.write(report, dir);
    assertTrue(Files.size(dir.resolve(ReportWriter.HTML)) > 1000);
    assertEquals(List.of(), ReportWriter.sanityProblems(report, dir));
    report.scenarios().get(0).fail("boom");
    report.scenarios().get(0).sanity("ours answered pings", false, "0 pongs");
    assertEquals(2, ReportWriter.sanityProblems(report, dir).size());
  }
}
