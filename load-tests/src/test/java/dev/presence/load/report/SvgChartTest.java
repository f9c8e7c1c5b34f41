package dev.presence.load.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartTest {

  @Test
  void ticks_are_nice_steps_covering_the_range() {
    assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, SvgChart.ticks(0, 93, 5));
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, SvgChart.ticks(0, 1.7, 5));
    double[] flat = SvgChart.ticks(0, 0, 5);
    assertEquals(0, flat[0]);
    assertEquals(1, flat[flat.length - 1], 1e-9, "a flat zero line still gets an axis from 0 to 1");
  }

  @Test
  void tick_labels_carry_only_the_decimals_the_step_needs() {
    assertEquals("2", SvgChart.tickLabel(2, new double[] {0, 1, 2}));
    assertEquals("0.5", SvgChart.tickLabel(0.5, new double[] {0, 0.5, 1}));
    assertEquals("12,000", SvgChart.tickLabel(12_000, new double[] {0, 4000, 8000, 12_000}));
  }

  @Test
  void a_chart_is_well_formed_svg_with_one_line_per_series_and_escaped_text() throws Exception {
    Chart chart = new Chart("p99 <ours> & bare", "s", "ms", List.of(
        new Series("ours", List.of(new double[] {0, 1}, new double[] {1, 3}, new double[] {2, Double.NaN})),
        new Series("bare", List.of(new double[] {0, 0.5}, new double[] {2, 1}))));
    String svg = SvgChart.render(chart);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals(2, doc.getElementsByTagName("polyline").getLength());
    assertTrue(svg.contains("p99 &lt;ours&gt; &amp; bare"));
    assertFalse(svg.contains("NaN"), "a missing point is skipped, not drawn at NaN");
  }

  @Test
  void no_points_says_so_instead_of_drawing_axes_from_infinity() {
    String svg = SvgChart.render(new Chart("empty", "s", "ms", List.of(new Series("ours", List.of()))));
    assertTrue(svg.contains("no data"));
    assertFalse(svg.contains("Infinity"));
  }
}
