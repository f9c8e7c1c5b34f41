package dev.presence.load.scenario;

import dev.presence.load.run.ServerProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures ghost windows: one daemon thread per surviving node walks its paged {@code GET /presence} view
 * again and again. For each watched session the page whose key range covers its id tells, at that page's
 * arrival, whether the node still lists it; the first arrival after the fault that no longer lists it is
 * when that node stopped showing the ghost (an upper bound: the resolution is one walk of the whole view,
 * reported as the view period). A session is gone when every surviving node stopped listing it.
 */
final class GhostWatch implements AutoCloseable {

  /**
   * Pause between walks, ms: back-to-back walks by several pollers kept every node busy answering
   * cluster-wide queries (each page is one) and slowed the cleanup being measured.
   */
  private static final long PAUSE_MS = 25;

  private final List<ServerProcess> survivors;
  /** Watched session → fault time, epoch ms; sorted so that a page's key range is a sub-map. */
  private final ConcurrentSkipListMap<String, Long> faultAt = new ConcurrentSkipListMap<>();
  private final Map<Integer, Map<String, Long>> absentAt = new ConcurrentHashMap<>();
  private final List<Long> viewMillis = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger walks = new AtomicInteger();
  private volatile boolean running = true;

  /** Starts watching the views of {@code survivors}. */
  GhostWatch(List<ServerProcess> survivors) {
    this.survivors = List.copyOf(survivors);
    for (ServerProcess node : survivors) {
      absentAt.put(node.httpPort(), new ConcurrentHashMap<>());
      Thread thread = new Thread(() -> poll(node.httpPort()), "ghost-watch-" + node.name());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Watches {@code session} from its fault at {@code at} (epoch ms). Any thread. */
  void watch(String session, long at) {
    faultAt.put(session, at);
  }

  private void poll(int port) {
    Map<String, Long> absent = absentAt.get(port);
    while (running) {
      long start = System.currentTimeMillis();
      boolean complete = PresencePages.walk(port, page -> {
        NavigableMap<String, Long> range = page.after() == null ? faultAt : faultAt.tailMap(page.after(), false);
        if (!page.last() && !page.sessions().isEmpty()) {
          range = range.headMap(page.sessions().get(page.sessions().size() - 1), true);
        }
        Set<String> listed = new HashSet<>(page.sessions());
        range.forEach((session, fault) -> {
          if (page.receivedAt() >= fault && !listed.contains(session)) {
            absent.putIfAbsent(session, page.receivedAt());
          }
        });
      });
      if (complete) {
        viewMillis.add(System.currentTimeMillis() - start);
        walks.incrementAndGet();
        sleep(PAUSE_MS);
      } else {
        sleep(100); // the node does not answer (yet): retry soon
      }
    }
  }

  /** @return per watched session gone from every survivor, the ghost window in ms (fault → gone) */
  Map<String, Long> windows() {
    Map<String, Long> windows = new HashMap<>();
    faultAt.forEach((session, fault) -> {
      long gone = 0;
      for (ServerProcess node : survivors) {
        Long at = absentAt.get(node.httpPort()).get(session);
        if (at == null) {
          return;
        }
        gone = Math.max(gone, at);
      }
      windows.put(session, Math.max(0, gone - fault));
    });
    return windows;
  }

  /** Waits (bounded) until every watched session is gone everywhere. @return true if all are */
  boolean awaitAllGone(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (windows().size() == faultAt.size()) {
        return true;
      }
      sleep(50);
    }
    return windows().size() == faultAt.size();
  }

  /**
   * Waits (bounded) until the pollers completed {@code count} walks each, so that the first walks, slow on
   * cold JVMs, are done before the fault. @return true if they did
   */
  boolean awaitWalks(int count, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (walks.get() < count * survivors.size() && System.currentTimeMillis() < deadline) {
      sleep(20);
    }
    return walks.get() >= count * survivors.size();
  }

  /** @return how many sessions are watched */
  int watched() {
    return faultAt.size();
  }

  /** @return how long each complete walk of a view took, ms (the measurement's resolution) */
  List<Long> viewMillis() {
    return List.copyOf(viewMillis);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the pollers. */
  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
  }
}
