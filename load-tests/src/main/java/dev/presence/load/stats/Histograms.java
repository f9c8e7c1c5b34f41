package dev.presence.load.stats;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms as the load tests use them: values in microseconds, 3 significant digits, up to
 * 120 s, and their compact wire form (compressed HdrHistogram, base64) that generators print on stdout.
 */
public final class Histograms {

  /** Largest recordable latency in µs; larger values are clamped, so a stall never throws. */
  public static final long MAX_MICROS = 120_000_000L;

  private Histograms() {
  }

  /** @return an empty histogram for microsecond latencies */
  public static Histogram newMicros() {
    return new Histogram(1, MAX_MICROS, 3);
  }

  /**
   * Records one latency, clamped into the trackable range.
   *
   * @param histogram where to record
   * @param nanos     the latency in nanoseconds
   */
  public static void recordNanos(Histogram histogram, long nanos) {
    histogram.recordValue(Math.max(1, Math.min(MAX_MICROS, nanos / 1000)));
  }

  /** @return the histogram compressed and base64-encoded (a few hundred bytes for a typical one) */
  public static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  /**
   * Decodes what {@link #encode} produced.
   *
   * @param text the base64 form
   * @return the histogram
   * @throws IllegalArgumentException if the text is not an encoded histogram
   */
  public static Histogram decode(String text) {
    try {
      Histogram decoded = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)),
          0);
      Histogram copy = newMicros();
      copy.add(decoded);
      return copy;
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
    }
  }
}
