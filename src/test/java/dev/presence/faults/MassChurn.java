package dev.presence.faults;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Scenario 4: mass churn. Hundreds (CI) or thousands (full) of connections open and close concurrently on
 * every node (a third claim a hot nickname in hello and leave with bye, the rest leave with a close
 * frame), while claimers grab and release nicknames from a small hot set. Every churned session must
 * vanish from every node (every third one from the room it joined, too); no nickname may ever have two owners.
 */
final class MassChurn implements Scenario {

  private static final String HOT = "s4Hot";

  @Override
  public String name() {
    return "4 mass churn: connections open and close while hot nicknames are claimed and released";
  }

  @Override
  public void run(ScenarioContext context) throws Exception {
    List<Integer> ports = context.cluster().ports();
    FaultSize size = context.size();
    List<TrackedSession> claimers = context.openSessions("s4c", size.claimers(), ports, false);
    ExecutorService claimerThreads = Executors.newFixedThreadPool(claimers.size());
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    long deadline = System.nanoTime() + size.churnTime().toNanos();
    try (GhostWatch watch = context.ghostWatch(ports)) {
      claimers.forEach(c -> claimerThreads.submit(() -> claimUntil(c, size.hotNicks(), deadline, granted, refused)));
      Churn churn = new Churn(context, ports, watch);
      int churned = churn.run(size.churnConnections(), size.churnConcurrency(), size.churnTime().multipliedBy(4));
      claimerThreads.shutdown();
      claimerThreads.awaitTermination(size.churnTime().toSeconds() + 30, TimeUnit.SECONDS);
      watch.awaitAllGone(Duration.ofSeconds(15));
      context.ghost(watch.stats("client close frame / bye under churn", null));
      context.fact("churn connections completed", churned);
      context.fact("churn connections failed", churn.failed.get());
      context.fact("hot nickname claims granted", granted.get());
      context.fact("hot nickname claims refused", refused.get());
    } finally {
      claimerThreads.shutdownNow();
    }
  }

  /** One claimer: claim a random hot nickname; if granted, hold it briefly, release it; repeat. */
  private static void claimUntil(TrackedSession claimer, int hotNicks, long deadline, AtomicInteger granted,
      AtomicInteger refused) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() < deadline && !claimer.isClosed()) {
      try {
        JsonObject reply = await(claimer.claim(HOT + random.nextInt(hotNicks)));
        if ("nick.ok".equals(reply.getString("type"))) {
          granted.incrementAndGet();
          Thread.sleep(random.nextInt(20, 150));
          await(claimer.release());
        } else {
          refused.incrementAndGet();
        }
        Thread.sleep(random.nextInt(0, 50));
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // A reply lost to a close ends this claimer at the loop's check.
      }
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs the churn connections with bounded concurrency on the clients' event loops. */
  private static final class Churn {
    private final ScenarioContext context;
    private final List<Integer> ports;
    private final GhostWatch watch;
    private final RoomWatch rooms;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private int total;

    Churn(ScenarioContext context, List<Integer> ports, GhostWatch watch) {
      this.rooms = context.rooms(); // started on the scenario thread: lanes run on client event loops
      this.context = context;
      this.ports = ports;
      this.watch = watch;
    }

    int run(int total, int concurrency, Duration atMost) throws Exception {
      this.total = total;
      List<Future<Void>> lanes = new ArrayList<>();
      IntStream.range(0, concurrency).forEach(i -> lanes.add(lane()));
      Future.join(lanes).toCompletionStage().toCompletableFuture().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
      return completed.get();
    }

    /** One lane: connection after connection until the total is reached. */
    private Future<Void> lane() {
      int n = next.getAndIncrement();
      if (n >= total) {
        return Future.succeededFuture();
      }
      int port = ports.get(n % ports.size());
      boolean withNick = n % 3 == 0;
      String nick = withNick ? HOT + (n % context.size().hotNicks()) : null;
      // Every third churn session joins a room first: its leave must reach the room watchers too.
      String room = n % 3 == 1 && !rooms.rooms().isEmpty() ? rooms.rooms().get(n % RoomWatch.ROOMS) : null;
      return context.clients().openAsync(port, "s4-churn-u" + n, nick, context.history())
          .compose(session -> {
            context.adopt(session);
            return joined(session, room);
          })
          .compose(session -> {
            return hold().compose(v -> {
              long at = System.currentTimeMillis();
              watch.watch(session.session(), at);
              return withNick ? session.bye() : session.close();
            });
          })
          .transform(ar -> {
            (ar.succeeded() ? completed : failed).incrementAndGet();
            return lane();
          });
    }

    private Future<TrackedSession> joined(TrackedSession session, String room) {
      if (room == null) {
        return Future.succeededFuture(session);
      }
      return session.join(room).compose(reply -> {
        if (!"joined".equals(reply.getString("type"))) {
          return Future.failedFuture("join " + room + ": " + reply.encode());
        }
        rooms.joined(session.session());
        return Future.succeededFuture(session);
      });
    }

    private Future<Void> hold() {
      return context.clients().delay(ThreadLocalRandom.current().nextInt(0, 300));
    }
  }
}
