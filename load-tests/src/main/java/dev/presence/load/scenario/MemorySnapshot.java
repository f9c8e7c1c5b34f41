package dev.presence.load.scenario;

import dev.presence.load.run.Jcmd;
import dev.presence.load.run.ProcStats;
import dev.presence.load.run.ServerFleet;
import dev.presence.load.run.ServerProcess;

/**
 * A fleet's memory and files at one moment, after a full GC in each server: heap used (jcmd
 * {@code GC.run} then {@code GC.heap_info}), resident set (VmRSS) and open file descriptors, each summed
 * over the fleet. The difference of two snapshots divided by the sessions added is the cost per session.
 *
 * @param heapBytes heap used after full GC, bytes
 * @param rssBytes  resident set, bytes
 * @param openFiles file descriptors
 */
record MemorySnapshot(long heapBytes, long rssBytes, long openFiles) {

  /** @return the snapshot; runs a full GC in every server first (about a second per server) */
  static MemorySnapshot afterFullGc(ServerFleet fleet) {
    long heap = 0;
    long rss = 0;
    long files = 0;
    for (ServerProcess server : fleet.servers()) {
      heap += Jcmd.heapUsedAfterFullGc(server.pid());
      rss += ProcStats.rssBytes(server.pid());
      files += ProcStats.openFiles(server.pid());
    }
    return new MemorySnapshot(heap, rss, files);
  }

  /** @return heap bytes per session added since {@code before} (NaN without sessions) */
  double heapPerSession(MemorySnapshot before, long sessions) {
    return sessions <= 0 ? Double.NaN : (heapBytes - before.heapBytes) / (double) sessions;
  }

  /** @return RSS bytes per session added since {@code before} (NaN without sessions) */
  double rssPerSession(MemorySnapshot before, long sessions) {
    return sessions <= 0 ? Double.NaN : (rssBytes - before.rssBytes) / (double) sessions;
  }
}
