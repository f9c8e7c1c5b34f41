package dev.presence.load.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jcmd} against a child JVM: a full GC, the heap used after it, the class histogram, and the JIT's compile time. Each call
 * starts a short-lived JVM (about half a CPU-second), so scenarios call it at a few chosen moments only,
 * never while they measure latency.
 */
public final class Jcmd {

  /** {@code garbage-first heap   total 524288K, used 39099K [...]} (G1) or the same for other collectors. */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
  /** {@code region size 1024K, 10 young (10240K), 0 survivors (0K)} (G1 only). */
  private static final Pattern YOUNG = Pattern.compile("(\\d+)\\s+young\\s+\\((\\d+)K\\)");

  /** {@code java.ci.totalTime=476929435}: the JIT compilers' time, in high-resolution ticks. */
  private static final Pattern COMPILE_TICKS = Pattern.compile("(?m)^java\\.ci\\.totalTime=(\\d+)$");
  /** {@code sun.os.hrt.frequency=1000000000}: ticks per second. */
  private static final Pattern TICK_FREQUENCY = Pattern.compile("(?m)^sun\\.os\\.hrt\\.frequency=(\\d+)$");

  private Jcmd() {
  }

  /**
   * Runs {@code GC.run} (a full collection), then reads {@code GC.heap_info}. A busy server allocates between the two
   * commands (in a {@code rooms} run, about ten 1 MiB regions, against 200 MiB of live objects): after a full G1
   * collection every live object sits in an old region and the young regions hold only what was allocated since, so
   * their bytes are left out, and the figure is what the collection kept.
   *
   * @param pid the JVM
   * @return heap used after the collection, bytes (G1: without the young regions filled since); -1 if jcmd failed
   */
  public static long heapUsedAfterFullGc(long pid) {
    run(pid, "GC.run");
    return keptByCollection(run(pid, "GC.heap_info"));
  }

  /**
   * @param info {@code GC.heap_info} output read right after a full collection
   * @return heap used, bytes, without the young regions (G1; each counted whole, so the figure may be low by part of
   *     one region); -1 if the output has no heap line
   */
  static long keptByCollection(String info) {
    Matcher matcher = HEAP_USED.matcher(info);
    if (!matcher.find()) {
      return -1;
    }
    long used = Long.parseLong(matcher.group(2)) * 1024;
    Matcher young = YOUNG.matcher(info);
    return young.find() ? used - Long.parseLong(young.group(2)) * 1024 : used;
  }

  /**
   * Time the JIT compilers have spent compiling since the JVM started ({@code PerfCounter.print}: the counter
   * {@code java.ci.totalTime}, in ticks of {@code sun.os.hrt.frequency}). Summed over the compiler threads, so a JVM
   * that compiles on two threads at once gains up to 2 s a second. A warm server gains little.
   *
   * @param pid the JVM
   * @return compile time, ms; -1 if jcmd failed or the JVM keeps no performance counters
   */
  public static long compileMillis(long pid) {
    return compileMillisOf(run(pid, "PerfCounter.print"));
  }

  /**
   * @param counters {@code PerfCounter.print} output
   * @return {@code java.ci.totalTime} in ms; -1 if either counter is missing
   */
  static long compileMillisOf(String counters) {
    Matcher ticks = COMPILE_TICKS.matcher(counters);
    Matcher frequency = TICK_FREQUENCY.matcher(counters);
    if (!ticks.find() || !frequency.find() || Long.parseLong(frequency.group(1)) <= 0) {
      return -1;
    }
    return Long.parseLong(ticks.group(1)) * 1000 / Long.parseLong(frequency.group(1));
  }

  /**
   * @param pid the JVM
   * @param top how many classes
   * @return the header and the first {@code top} rows of {@code GC.class_histogram} (by bytes), as text
   */
  public static String classHistogram(long pid, int top) {
    String[] lines = run(pid, "GC.class_histogram").split("\n");
    List<String> kept = new ArrayList<>();
    int rows = 0;
    for (String line : lines) {
      boolean row = line.trim().matches("^\\d+:.*");
      if (line.contains("#instances") || line.startsWith("---") || (row && rows++ < top)) {
        kept.add(line);
      } else if (line.startsWith("Total")) {
        kept.add(line);
      }
    }
    return String.join("\n", kept);
  }

  /**
   * @param pid the JVM
   * @return the whole {@code GC.class_histogram} text (the command runs a full GC first)
   */
  public static String classHistogramAll(long pid) {
    return run(pid, "GC.class_histogram");
  }

  private static String run(long pid, String command) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      Process process = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "jcmd failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "jcmd interrupted";
    }
  }
}
