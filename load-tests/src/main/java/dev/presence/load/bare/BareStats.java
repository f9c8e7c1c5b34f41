package dev.presence.load.bare;

import dev.presence.load.stats.Histograms;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the bare server tells the orchestrator on {@code GET /stats}: sessions (welcomed and still
 * open), heap used (bytes, the same JVM figure the node exports as {@code jvm_memory_used_bytes}) and the
 * cumulative heartbeat round-trip histogram (µs). Thread-safe: every event loop records into it.
 */
final class BareStats {

  private final AtomicInteger sessions = new AtomicInteger();
  private final ConcurrentHistogram heartbeatRtt = new ConcurrentHistogram(1, Histograms.MAX_MICROS, 3);

  void sessionOpened() {
    sessions.incrementAndGet();
  }

  void sessionClosed() {
    sessions.decrementAndGet();
  }

  void heartbeatRtt(long nanos) {
    heartbeatRtt.recordValue(Math.max(1, Math.min(Histograms.MAX_MICROS, nanos / 1000)));
  }

  /** @return {@code {"status":"UP","sessions","heapUsed","heartbeatRtt"}} */
  JsonObject toJson() {
    Histogram copy = Histograms.newMicros();
    copy.add(heartbeatRtt.copy());
    return new JsonObject().put("status", "UP").put("sessions", sessions.get())
        .put("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
        .put("heartbeatRtt", Histograms.encode(copy));
  }
}
