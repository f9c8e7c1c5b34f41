package dev.presence.load.run;

import dev.presence.load.stats.PrometheusText;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One server under test (a node of ours or a bare server): its process and what it says over HTTP.
 * Thread-safe (the sampler reads it while the scenario runs).
 *
 * @param name     "node-1", "bare-1"
 * @param kind     ours or bare
 * @param httpPort HTTP and WebSocket port on 127.0.0.1
 * @param adminPort ours: the admin listener's port on 127.0.0.1 (health, metrics, read API; plain HTTP even when
 *                 the HTTP port has TLS); bare: its HTTP port, where it serves {@code /health} itself
 * @param process  the process
 * @param tls      the run's TLS pair it serves, or {@code null} for plain ws:// and http://
 */
public record ServerProcess(String name, ServerKind kind, int httpPort, int adminPort, ManagedProcess process,
    LoadTls tls) {

  /** @return "127.0.0.1:port", the generators' endpoint */
  public String endpoint() {
    return "127.0.0.1:" + httpPort;
  }

  /** @return the process id */
  public long pid() {
    return process.pid();
  }

  /** @return {@code GET /health} as JSON (ours: status, node, clusterSize, sessions; bare: /stats), or null */
  public JsonObject health() {
    Http.Response response = Http.get(adminPort, "/health", 5000, kind == ServerKind.OURS ? null : tls);
    if (response.status() < 0) {
      return null;
    }
    try {
      return new JsonObject(response.body());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** @return sessions this server holds (its {@code /health}), or -1 if it does not answer */
  public int sessions() {
    JsonObject health = health();
    return health == null ? -1 : health.getInteger("sessions", -1);
  }

  /** @return our node's {@code /metrics} samples; empty for the bare server or when it does not answer */
  public List<PrometheusText.Sample> scrape() {
    if (kind != ServerKind.OURS) {
      return List.of();
    }
    Http.Response response = Http.get(adminPort, "/metrics", 10_000, null);
    return response.ok() ? PrometheusText.parse(response.body()) : List.of();
  }

  /**
   * @return heap used now, bytes, as the JVM's memory pools report it (ours: the sum of
   *     {@code jvm_memory_used_bytes{area="heap"}}; bare: {@code MemoryMXBean} heap usage, the same numbers)
   */
  public double heapUsed() {
    if (kind == ServerKind.OURS) {
      return PrometheusText.sum(scrape(), "jvm_memory_used_bytes", Map.of("area", "heap"));
    }
    JsonObject stats = health();
    return stats == null ? Double.NaN : stats.getLong("heapUsed", -1L);
  }
}
