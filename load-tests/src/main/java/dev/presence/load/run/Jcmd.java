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
 * {@code jcmd} against a child JVM: a full GC, the heap used after it, and the class histogram. Each call
 * starts a short-lived JVM (about half a CPU-second), so scenarios call it at a few chosen moments only,
 * never while they measure latency.
 */
public final class Jcmd {

  /** {@code garbage-first heap   total 524288K, used 39099K [...]} (G1) or the same for other collectors. */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
  /** {@code region size 1024K, 10 young (10240K), 0 survivors (0K)} (G1 only). */
  private static final Pattern YOUNG = Pattern.compile("(\\d+)\\s+young\\s+\\((\\d+)K\\)");

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
