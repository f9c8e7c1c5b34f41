package dev.presence.faults;

import dev.presence.testing.PresenceHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Measures ghost windows: one thread per surviving node polls its {@code GET /presence} every ~50 ms and
 * notes, for each watched session, the first answer that no longer lists it (the time the answer
 * arrived: an upper bound). A session is gone when every surviving node stopped listing it.
 */
public final class GhostWatch implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(50);

  private final List<Integer> survivors;
  private final Map<String, Long> faultAt = new ConcurrentHashMap<>();
  private final Map<Integer, Map<String, Long>> absentSince = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> pollers = new ArrayList<>();

  /** Starts polling {@code survivors} (HTTP ports on 127.0.0.1). */
  public GhostWatch(List<Integer> survivors) {
    this.survivors = List.copyOf(survivors);
    for (int port : survivors) {
      absentSince.put(port, new ConcurrentHashMap<>());
      Thread poller = new Thread(() -> poll(port), "ghost-watch-" + port);
      poller.setDaemon(true);
      pollers.add(poller);
      poller.start();
    }
  }

  /** Watches {@code session} from its fault at {@code at} (epoch ms). */
  public void watch(String session, long at) {
    faultAt.put(session, at);
  }

  /** Watches every one of {@code sessions} from one fault at {@code at}. */
  public void watchAll(Set<String> sessions, long at) {
    sessions.forEach(s -> watch(s, at));
  }

  private void poll(int port) {
    Map<String, Long> absent = absentSince.get(port);
    while (running.get()) {
      long started = System.nanoTime();
      try {
        Set<String> listed = PresenceHttp.sessions(port);
        long now = System.currentTimeMillis();
        faultAt.forEach((session, fault) -> {
          if (!listed.contains(session)) {
            absent.putIfAbsent(session, now);
          }
        });
      } catch (RuntimeException e) {
        // A node that does not answer now is retried at the next tick; the await's bound ends the watch.
      }
      long spent = (System.nanoTime() - started) / 1_000_000;
      if (spent < POLL.toMillis()) {
        try {
          Thread.sleep(POLL.toMillis() - spent);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** @return per watched session, epoch ms from which no surviving node listed it (absent: still listed) */
  public Map<String, Long> goneAt() {
    Map<String, Long> gone = new HashMap<>();
    for (String session : faultAt.keySet()) {
      long latest = 0;
      boolean everywhere = true;
      for (int port : survivors) {
        Long at = absentSince.get(port).get(session);
        everywhere &= at != null;
        latest = at == null ? latest : Math.max(latest, at);
      }
      if (everywhere) {
        gone.put(session, latest);
      }
    }
    return gone;
  }

  /** Waits (bounded) until every watched session is gone from every survivor; returns either way. */
  public void awaitAllGone(Duration atMost) {
    try {
      Awaitility.await("ghosts gone").atMost(atMost).pollInterval(Duration.ofMillis(50))
          .until(() -> goneAt().size() == faultAt.size());
    } catch (ConditionTimeoutException e) {
      // Reported as neverGone in the statistics, and asserted there.
    }
  }

  /** @return the statistics of everything watched so far */
  public GhostStats stats(String faultClass, Long boundMs) {
    return GhostStats.of(faultClass, Map.copyOf(faultAt), goneAt(), boundMs);
  }

  /** Stops the pollers. */
  @Override
  public void close() {
    running.set(false);
    pollers.forEach(Thread::interrupt);
  }
}
