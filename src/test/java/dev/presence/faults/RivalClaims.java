package dev.presence.faults;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Other users trying to take nicknames that belong to faulted sessions, in a background thread, one
 * claim at a time, round robin over nicknames and nodes, until stopped (and at most for 3 minutes): every other pass
 * over the nicknames claims them as room nicknames, in a room the rival is in (the faulted sessions hold their
 * nickname as room nickname in their rooms too, {@code ScenarioContext.openSessions}). Every grant is in the history,
 * where the uniqueness checker judges it; the counts go into the report.
 */
final class RivalClaims implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger granted = new AtomicInteger();
  private final AtomicInteger refusedByCode = new AtomicInteger();
  private final Thread thread;

  /**
   * @param rivals one session per node, of users that own none of {@code nicks}
   * @param nicks  nicknames to try
   */
  RivalClaims(List<TrackedSession> rivals, List<String> nicks) {
    thread = new Thread(() -> claimUntilStopped(rivals, nicks), "rival-claims");
    thread.setDaemon(true);
    thread.start();
  }

  private void claimUntilStopped(List<TrackedSession> rivals, List<String> nicks) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    for (int i = 0; running.get() && System.nanoTime() < deadline && !nicks.isEmpty(); i++) {
      TrackedSession rival = rivals.get(i % rivals.size());
      if (rival.isClosed()) {
        continue;
      }
      String nick = nicks.get(i % nicks.size());
      List<String> rooms = rival.rooms();
      boolean inRoom = (i / nicks.size()) % 2 == 1 && !rooms.isEmpty();
      try {
        JsonObject reply = (inRoom ? rival.claimInRoom(nick, rooms.get((i / 2) % rooms.size())) : rival.claim(nick))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        attempts.incrementAndGet();
        if ("nick.ok".equals(reply.getString("type"))) {
          granted.incrementAndGet();
        } else {
          refusedByCode.incrementAndGet();
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // A rival on a node that is being faulted may not answer; try the next one.
      }
    }
  }

  /** @return claims answered */
  int attempts() {
    return attempts.get();
  }

  /** @return claims granted (each one is a nickname given to another user: judged by the uniqueness checker) */
  int granted() {
    return granted.get();
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
