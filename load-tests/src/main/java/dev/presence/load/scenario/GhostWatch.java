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
 * arrival, whether the node still lists it. The last arrival after the fault that still lists it and the
 * first that no longer does bracket when that node stopped showing the ghost; a session is gone when every
 * surviving node stopped listing it. The bracket is one walk of the whole view wide: each page is a
 * cluster-wide query over every entry, so at 50,000 sessions a walk took seconds, and only the bracket,
 * not the upper bound alone, says whether a window met a sub-second goal.
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
  private final Map<Integer, Map<String, Long>> presentAt = new ConcurrentHashMap<>();
  private final List<Long> viewMillis = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger walks = new AtomicInteger();
  private volatile boolean running = true;

  /** Starts watching the views of {@code survivors}. */
  GhostWatch(List<ServerProcess> survivors) {
    this.survivors = List.copyOf(survivors);
    for (ServerProcess node : survivors) {
      absentAt.put(node.httpPort(), new ConcurrentHashMap<>());
      presentAt.put(node.httpPort(), new ConcurrentHashMap<>());
      Thread thread = new Thread(() -> poll(node.httpPort(), node.adminPort()), "ghost-watch-" + node.name());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Watches {@code session} from its fault at {@code at} (epoch ms). Any thread. */
  void watch(String session, long at) {
    faultAt.put(session, at);
  }

  /** @param port the node's HTTP port (the key of its maps) @param adminPort where its read API is */
  private void poll(int port, int adminPort) {
    Map<String, Long> absent = absentAt.get(port);
    Map<String, Long> present = presentAt.get(port);
    while (running) {
      long start = System.currentTimeMillis();
      boolean complete = PresencePages.walk(adminPort, page -> {
        NavigableMap<String, Long> range = page.after() == null ? faultAt : faultAt.tailMap(page.after(), false);
        if (!page.last() && !page.sessions().isEmpty()) {
          range = range.headMap(page.sessions().get(page.sessions().size() - 1), true);
        }
        Set<String> listed = new HashSet<>(page.sessions());
        range.forEach((session, fault) -> {
          if (page.receivedAt() < fault) {
            return;
          }
          if (!listed.contains(session)) {
            absent.putIfAbsent(session, page.receivedAt());
          } else if (!absent.containsKey(session)) {
            present.merge(session, page.receivedAt(), Math::max);
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

  /**
   * A ghost window as far as the walks can tell.
   *
   * @param lowerMs fault → the last page arrival that still listed it on some survivor (0 if none did)
   * @param upperMs fault → the first page arrival from which no survivor listed it
   */
  record Window(long lowerMs, long upperMs) {
  }

  /** @return per watched session gone from every survivor, its ghost window */
  Map<String, Window> windows() {
    Map<String, Window> windows = new HashMap<>();
    faultAt.forEach((session, fault) -> {
      long gone = 0;
      long lastSeen = fault;
      for (ServerProcess node : survivors) {
        Long at = absentAt.get(node.httpPort()).get(session);
        if (at == null) {
          return;
        }
        gone = Math.max(gone, at);
        lastSeen = Math.max(lastSeen, presentAt.get(node.httpPort()).getOrDefault(session, fault));
      }
      windows.put(session, new Window(Math.max(0, lastSeen - fault), Math.max(0, gone - fault)));
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
