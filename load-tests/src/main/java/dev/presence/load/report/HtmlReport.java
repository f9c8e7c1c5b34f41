package dev.presence.load.report;

import java.util.List;
import java.util.Map;

/**
 * The report page for people: run facts, then per scenario its figures (ours, bare, ratio, goal,
 * verdict), checks, tables, SVG charts, class histograms and notes. One self-contained file. Pure.
 */
public final class HtmlReport {

  private static final String STYLE = """
      body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}
      table{border-collapse:collapse;margin:8px 0 16px}
      th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
      td.n{text-align:right;font-variant-numeric:tabular-nums}
      th{background:#f3f3f3}
      .PASS{color:#070;font-weight:bold}.MISS{color:#b00;font-weight:bold}.NA{color:#777}
      .error{background:#fee;border:1px solid #b00;padding:8px;white-space:pre-wrap}
      pre{background:#f7f7f7;padding:8px;overflow-x:auto;font-size:12px}
      .note{color:#555;font-size:13px}
      """;

  private HtmlReport() {
  }

  /** @return the whole page */
  public static String render(Report report) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Presence load report</title><style>").append(STYLE).append("</style></head><body>");
    html.append("<h1>Presence load report</h1>");
    html.append("<table>");
    for (Map.Entry<String, Object> fact : report.meta().entrySet()) {
      html.append("<tr><th>").append(Html.escape(fact.getKey())).append("</th><td>")
          .append(Html.escape(String.valueOf(fact.getValue()))).append("</td></tr>");
    }
    html.append("</table><p>");
    for (ScenarioReport scenario : report.scenarios()) {
      html.append("<a href=\"#").append(Html.escape(scenario.name())).append("\">")
          .append(Html.escape(scenario.name())).append("</a> ");
    }
    html.append("</p>");
    report.scenarios().forEach(s -> scenario(html, s));
    return html.append("</body></html>\n").toString();
  }

  private static void scenario(StringBuilder html, ScenarioReport s) {
    html.append("<section id=\"").append(Html.escape(s.name())).append("\"><h2>").append(Html.escape(s.name()))
        .append(": ").append(Html.escape(s.title())).append("</h2>");
    if (s.error() != null) {
      html.append("<div class=\"error\">Failed: ").append(Html.escape(s.error())).append("</div>");
    }
    html.append("<p class=\"note\">");
    s.parameters().forEach((k, v) -> html.append(Html.escape(k)).append(" = ").append(Html.escape(String.valueOf(v)))
        .append("; "));
    html.append("wall time ").append(Fmt.num(s.durationSeconds())).append(" s</p>");
    Object neighbours = s.parameters().get("otherProcessesCpuCores");
    if (neighbours instanceof Double cores && cores >= 0.25) {
      html.append("<p class=\"error\">Processes not started by this run used ").append(Fmt.num(cores))
          .append(" cores on average while this scenario ran: its timings are not those of an idle machine.</p>");
    }
    if (!s.figures().isEmpty()) {
      html.append("<table><tr><th>figure</th><th>ours</th><th>bare</th><th>ours / bare</th><th>goal</th>")
          .append("<th>verdict</th><th>how</th></tr>");
      for (Figure f : s.figures()) {
        String unit = f.unit() == null || f.unit().isEmpty() ? "" : " " + f.unit();
        Verdict verdict = f.verdict();
        html.append("<tr><td>").append(Html.escape(f.label())).append("</td><td class=\"n\">")
            .append(Html.escape(Fmt.num(f.ours()) + (f.ours() == null ? "" : unit))).append("</td><td class=\"n\">")
            .append(Html.escape(Fmt.num(f.bare()) + (f.bare() == null ? "" : unit))).append("</td><td class=\"n\">")
            .append(Html.escape(Fmt.ratio(f.ratio()))).append("</td><td>")
            .append(Html.escape(f.goal() == null ? "" : f.goal().text())).append("</td><td class=\"")
            .append(verdict).append("\">").append(verdict == Verdict.NONE ? "" : verdict.name().toLowerCase())
            .append("</td><td class=\"note\">").append(Html.escape(f.note())).append("</td></tr>");
      }
      html.append("</table>");
    }
    checks(html, "Checks", s.checks());
    checks(html, "Report sanity", s.sanity());
    for (Table table : s.tables()) {
      html.append("<h3>").append(Html.escape(table.title())).append("</h3><table><tr>");
      table.headers().forEach(h -> html.append("<th>").append(Html.escape(h)).append("</th>"));
      html.append("</tr>");
      for (List<String> row : table.rows()) {
        html.append("<tr>");
        row.forEach(c -> html.append("<td class=\"n\">").append(Html.escape(c)).append("</td>"));
        html.append("</tr>");
      }
      html.append("</table>");
    }
    for (Chart chart : s.charts()) {
      html.append("<div>").append(SvgChart.render(chart)).append("</div>");
    }
    s.texts().forEach((heading, body) -> html.append("<details><summary>").append(Html.escape(heading))
        .append("</summary><pre>").append(Html.escape(body)).append("</pre></details>"));
    if (!s.notes().isEmpty()) {
      html.append("<ul class=\"note\">");
      s.notes().forEach(n -> html.append("<li>").append(Html.escape(n)).append("</li>"));
      html.append("</ul>");
    }
    html.append("</section>");
  }

  private static void checks(StringBuilder html, String heading, List<Check> checks) {
    if (checks.isEmpty()) {
      return;
    }
    html.append("<h3>").append(heading).append("</h3><table><tr><th>check</th><th>result</th><th>detail</th></tr>");
    for (Check c : checks) {
      html.append("<tr><td>").append(Html.escape(c.name())).append("</td><td class=\"")
          .append(c.ok() ? "PASS\">pass" : "MISS\">miss").append("</td><td>").append(Html.escape(c.detail()))
          .append("</td></tr>");
    }
    html.append("</table>");
  }
}
