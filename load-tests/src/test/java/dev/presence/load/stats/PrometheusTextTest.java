package dev.presence.load.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void reads_names_labels_with_escapes_and_special_values() {
    List<PrometheusText.Sample> samples = PrometheusText.parse("""
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 2.3068672E7
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.0E6
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
        odd{path="a\\"b"} +Inf
        plain 3
        """);
    assertEquals(5, samples.size());
    assertEquals("a\"b", samples.get(3).labels().get("path"));
    assertTrue(Double.isInfinite(samples.get(3).value()));
    assertEquals(2.4068672E7, PrometheusText.sum(samples, "jvm_memory_used_bytes", Map.of("area", "heap")));
    assertEquals(3.0, PrometheusText.sum(samples, "plain", Map.of()));
  }

  @Test
  void an_absent_metric_sums_to_nan_so_the_report_says_n_a() {
    assertTrue(Double.isNaN(PrometheusText.sum(PrometheusText.parse("x 1\n"),
        "presence_store_operations_total", Map.of())));
  }
}
