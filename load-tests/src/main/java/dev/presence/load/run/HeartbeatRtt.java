package dev.presence.load.run;

import dev.presence.load.stats.BucketHistogram;
import dev.presence.load.stats.Percentiles;
import org.HdrHistogram.Histogram;

/**
 * A cumulative snapshot of a fleet's server-side heartbeat round trips (WebSocket ping to pong): the
 * node's Prometheus histogram {@code presence_heartbeat_rtt_seconds} (bucket bounds, so percentiles are
 * upper bounds), or the bare server's HdrHistogram (exact to 0.1 %). The difference of two snapshots is
 * what happened in between.
 */
public sealed interface HeartbeatRtt {

  /** @return the percentiles of what was recorded after {@code earlier} */
  Percentiles since(HeartbeatRtt earlier);

  /** Our nodes' buckets, summed over the fleet. @param buckets the histogram in seconds */
  record Buckets(BucketHistogram buckets) implements HeartbeatRtt {
    @Override
    public Percentiles since(HeartbeatRtt earlier) {
      return earlier instanceof Buckets b ? buckets.minus(b.buckets).secondsToPercentiles()
          : buckets.secondsToPercentiles();
    }
  }

  /** The bare fleet's histogram, µs. @param histogram cumulative */
  record Exact(Histogram histogram) implements HeartbeatRtt {
    @Override
    public Percentiles since(HeartbeatRtt earlier) {
      Histogram delta = histogram.copy();
      if (earlier instanceof Exact e) {
        delta.subtract(e.histogram);
      }
      return Percentiles.ofMicros(delta);
    }
  }
}
