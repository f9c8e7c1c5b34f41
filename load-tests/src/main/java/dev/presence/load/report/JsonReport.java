package dev.presence.load.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The report for machines: the same model as JSON (missing numbers as null, ratios and verdicts included). Pure. */
public final class JsonReport {

  private JsonReport() {
  }

  /** @return the report as JSON */
  public static JsonObject toJson(Report report) {
    JsonObject meta = new JsonObject();
    report.meta().forEach((k, v) -> meta.put(k, value(v)));
    JsonArray scenarios = new JsonArray();
    report.scenarios().forEach(s -> scenarios.add(scenario(s)));
    return new JsonObject().put("meta", meta).put("scenarios", scenarios);
  }

  private static JsonObject scenario(ScenarioReport s) {
    JsonObject parameters = new JsonObject();
    s.parameters().forEach((k, v) -> parameters.put(k, value(v)));
    JsonArray figures = new JsonArray();
    for (Figure f : s.figures()) {
      figures.add(new JsonObject().put("label", f.label()).put("unit", f.unit()).put("ours", f.ours())
          .put("bare", f.bare()).put("ratio", f.ratio()).put("goal", f.goal() == null ? null : f.goal().text())
          .put("verdict", f.verdict().name()).put("note", f.note()));
    }
    JsonArray tables = new JsonArray();
    for (Table t : s.tables()) {
      JsonArray rows = new JsonArray();
      t.rows().forEach(r -> rows.add(new JsonArray(List.copyOf(r))));
      tables.add(new JsonObject().put("title", t.title()).put("headers", new JsonArray(List.copyOf(t.headers())))
          .put("rows", rows));
    }
    JsonArray charts = new JsonArray();
    for (Chart c : s.charts()) {
      JsonArray series = new JsonArray();
      for (Series line : c.series()) {
        JsonArray points = new JsonArray();
        line.points().forEach(p -> points.add(new JsonArray().add(p[0]).add(Double.isFinite(p[1]) ? p[1] : null)));
        series.add(new JsonObject().put("name", line.name()).put("points", points));
      }
      charts.add(new JsonObject().put("title", c.title()).put("x", c.xLabel()).put("y", c.yLabel())
          .put("series", series));
    }
    JsonObject texts = new JsonObject();
    s.texts().forEach(texts::put);
    return new JsonObject().put("name", s.name()).put("title", s.title()).put("error", s.error())
        .put("durationSeconds", s.durationSeconds()).put("parameters", parameters).put("figures", figures)
        .put("checks", checks(s.checks())).put("sanity", checks(s.sanity())).put("tables", tables)
        .put("charts", charts).put("texts", texts).put("notes", new JsonArray(List.copyOf(s.notes())));
  }

  private static JsonArray checks(List<Check> checks) {
    JsonArray array = new JsonArray();
    checks.forEach(c -> array.add(new JsonObject().put("name", c.name()).put("ok", c.ok()).put("detail", c.detail())));
    return array;
  }

  private static Object value(Object v) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    if (v instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((k, x) -> object.put(String.valueOf(k), value(x)));
      return object;
    }
    if (v instanceof Collection<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(x -> array.add(value(x)));
      return array;
    }
    return v instanceof Number || v instanceof Boolean || v == null ? v : String.valueOf(v);
  }
}
