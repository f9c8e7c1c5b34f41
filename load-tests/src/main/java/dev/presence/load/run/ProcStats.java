package dev.presence.load.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Measurements of a process from outside, read from {@code /proc/<pid>} (Linux), so that our node and the
 * bare server are measured the same way without any help from them. Every method returns -1 when the
 * process is gone.
 */
public final class ProcStats {

  /** USER_HZ: {@code /proc/<pid>/stat} counts CPU time in 1/100 s on Linux ({@code getconf CLK_TCK}). */
  static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {
  }

  /** @return user + system CPU time used so far, in seconds */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(fields[11]); // field 14 of proc(5)
      long stime = Long.parseLong(fields[12]); // field 15
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** @return resident set size (VmRSS), bytes */
  public static long rssBytes(long pid) {
    return statusKb(pid, "VmRSS:") * 1024;
  }

  /** @return open file descriptors ({@code ls /proc/<pid>/fd | wc -l}) */
  public static long openFiles(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** @return live threads */
  public static long threads(long pid) {
    return statusKb(pid, "Threads:");
  }

  private static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
