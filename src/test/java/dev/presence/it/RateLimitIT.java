package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.LimitSettings;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-session message rate: over the rate a message is answered {@code rate_limited} and dropped, a
 * sustained flood is closed with 1008, and a flood from several clients at once does not slow the heartbeats
 * (ping → pong) of the other sessions on the same node.
 */
class RateLimitIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final int RATE = 20;
  static final int BURST = 20;
  static final int STRIKES = 20;

  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new TestCluster.Timings(10_000, 30_000, 60_000, 5_000),
        c -> c.with(c.auth(), new LimitSettings(1_000, 1_000, RATE, BURST, STRIKES)));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawWebSocketClient hello(String user) throws IOException {
    RawWebSocketClient ws = RawWebSocketClient.connect("127.0.0.1", cluster.port(0), "/ws", WAIT);
    ws.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
    ws.awaitType("welcome", WAIT);
    return ws;
  }

  @Test
  void over_the_rate_a_message_is_refused_and_a_sustained_flood_is_closed_with_1008() throws Exception {
    try (RawWebSocketClient flooder = hello("flooder")) {
      for (int i = 0; i < BURST + 5; i++) {
        flooder.sendText("{\"type\":\"ping\",\"seq\":" + i + "}");
      }
      List<JsonObject> answers = new ArrayList<>();
      for (int i = 0; i < BURST + 5; i++) {
        answers.add(flooder.readJson(WAIT));
      }
      assertThat(answers).filteredOn(m -> "pong".equals(m.getString("type"))).as("the burst, less the token hello took").hasSizeBetween(BURST - 1, BURST + 2);
      assertThat(answers).filteredOn(m -> "error".equals(m.getString("type")))
          .isNotEmpty().allSatisfy(m -> assertThat(m.getString("code")).isEqualTo("rate_limited"));

      for (int i = 0; i < 10 * STRIKES; i++) {
        flooder.sendText("{\"type\":\"ping\"}");
      }
      RawWebSocketClient.CloseInfo close = flooder.awaitClose(WAIT);
      assertThat(close.code()).isEqualTo(1008);
      assertThat(close.reason()).contains("rate limit");
    }
  }

  @Test
  void a_flood_from_several_clients_does_not_slow_the_heartbeats_of_the_others() throws Exception {
    List<RawWebSocketClient> bystanders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      bystanders.add(hello("bystander-" + i));
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      // Warm-up of both paths (JIT, connection setup): on 2 cores the compilers alone can stall a loop for tens of ms.
      heartbeats(bystanders, pool, new AtomicBoolean(), 20);
      floodFor("warm-up", 500, 5_000);
      List<Long> quietRtts = heartbeats(bystanders, pool, new AtomicBoolean(), 20);
      AtomicBoolean flooding = new AtomicBoolean(true);
      CompletableFuture<List<Long>> loudRtts = CompletableFuture.supplyAsync(() -> {
        try {
          return heartbeats(bystanders, pool, flooding, Integer.MAX_VALUE);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, pool);
      List<Future<Integer>> flooders = new ArrayList<>();
      for (int f = 0; f < 4; f++) {
        String user = "flooder-" + f;
        flooders.add(pool.submit(() -> floodFor(user, FLOOD_MS, 5_000)));
      }
      for (Future<Integer> flooder : flooders) {
        assertThat(flooder.get(30, TimeUnit.SECONDS)).as("close code seen by a flooder").isEqualTo(1008);
      }
      flooding.set(false);
      List<Long> loud = loudRtts.get(30, TimeUnit.SECONDS);
      long quietP99 = p99(quietRtts);
      long loudP99 = p99(loud);
      List<Long> sorted = new ArrayList<>(loud);
      Collections.sort(sorted);
      System.out.printf("heartbeat RTT p99: %d ms quiet, %d ms during the flood (%d samples, slowest %s)%n", quietP99,
          loudP99, loud.size(), sorted.subList(Math.max(0, sorted.size() - 5), sorted.size()));
      assertThat(loud).as("bystander pongs during the flood").hasSizeGreaterThan(50);
      // Generous (timing bounds are not speed goals): loopback RTTs here are a few ms to a few tens of ms with the
      // node, Hazelcast and every client in one JVM on 2 cores; a flood decoded on the shared event loop costs more.
      assertThat(loudP99).isLessThan(250);
    } finally {
      pool.shutdownNow();
      bystanders.forEach(RawWebSocketClient::close);
    }
  }

  /** How long (ms) the flooders keep flooding, so the bystanders' heartbeats are measured during a flood. */
  static final long FLOOD_MS = 3_000;

  /**
   * Floods one after another, each on a new connection, for {@code ms} (at least one round, at most 500: the loop
   * ends by itself); returns the last close code.
   */
  private static int floodFor(String user, long ms, int count) throws IOException {
    long end = System.nanoTime() + ms * 1_000_000;
    int code = -1;
    for (int round = 0; round == 0 || (System.nanoTime() < end && round < 500); round++) {
      code = flood(user + "-" + round, count);
    }
    return code;
  }

  /** Writes {@code count} pings without reading, then reads until the server closes; returns the close code. */
  private static int flood(String user, int count) throws IOException {
    try (RawWebSocketClient ws = hello(user)) {
      try {
        for (int i = 0; i < count; i++) {
          ws.sendText("{\"type\":\"ping\",\"seq\":" + i + "}");
        }
      } catch (IOException closedMidFlood) {
        // The server closed the connection while we were still writing: expected.
      }
      RawWebSocketClient.CloseInfo close = ws.awaitClose(WAIT);
      return close.code() == null ? -1 : close.code();
    }
  }

  /**
   * Each bystander pings and waits for its pong, every 100 ms (10/s, half the rate limit), until {@code rounds}
   * are done or {@code until} turns false; returns every RTT (ms). A missing pong fails the test.
   */
  private static List<Long> heartbeats(List<RawWebSocketClient> clients, ExecutorService pool, AtomicBoolean until,
      int rounds) throws Exception {
    List<Long> rtts = new CopyOnWriteArrayList<>();
    List<Future<?>> loops = new ArrayList<>();
    for (RawWebSocketClient client : clients) {
      loops.add(pool.submit(() -> {
        for (int round = 0; round < rounds && (rounds != Integer.MAX_VALUE || until.get()); round++) {
          long sent = System.nanoTime();
          client.sendText("{\"type\":\"ping\",\"seq\":" + round + "}");
          client.awaitType("pong", Duration.ofSeconds(2));
          rtts.add((System.nanoTime() - sent) / 1_000_000);
          // Pacing, not waiting for a condition: a heartbeat every 100 ms.
          LockSupport.parkNanos(Math.max(0, sent + 100_000_000L - System.nanoTime()));
        }
        return null;
      }));
    }
    for (Future<?> loop : loops) {
      loop.get(60, TimeUnit.SECONDS);
    }
    return rtts;
  }

  private static long p99(List<Long> samples) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
  }
}
