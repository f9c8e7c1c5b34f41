package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link LastSeenStore} contract, run against every adapter: the later time wins whatever order two nodes
 * record in, and a record is forgotten after its TTL. Calls go through {@code ContextCalls}, so each test also
 * checks the future completed on the caller's context.
 */
@ExtendWith(VertxExtension.class)
public abstract class LastSeenStoreContract {

  protected Vertx vertx;
  protected MutableClock clock;
  protected LastSeenStore store;

  /**
   * @param vertx the test's Vert.x instance
   * @param clock the clock TTLs run on, if the store takes one
   * @return the adapter under test, empty
   */
  protected abstract LastSeenStore createStore(Vertx vertx, MutableClock clock);

  /** Lets {@code ms} pass for the store's TTLs (manual clock, or real time for a real member). */
  protected abstract void letTimePass(long ms);

  @BeforeEach
  void create(Vertx vertx) {
    this.vertx = vertx;
    this.clock = new MutableClock(System.currentTimeMillis());
    this.store = createStore(vertx, clock);
  }

  @AfterEach
  void close() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Test
  public void the_later_time_wins_whatever_order_it_is_recorded_in() {
    assertThat(call(vertx, () -> store.lastSeen("alice"))).isEmpty();
    call(vertx, () -> store.record("alice", 2_000, 60_000));
    call(vertx, () -> store.record("alice", 1_000, 60_000));
    assertThat(call(vertx, () -> store.lastSeen("alice"))).isEqualTo(OptionalLong.of(2_000));
    call(vertx, () -> store.record("alice", 3_000, 60_000));
    assertThat(call(vertx, () -> store.lastSeen("alice"))).isEqualTo(OptionalLong.of(3_000));
    assertThat(call(vertx, () -> store.lastSeen("bob"))).isEmpty();
  }

  @Test
  public void a_record_is_forgotten_after_its_ttl() {
    call(vertx, () -> store.record("carol", 1_000, 500));
    letTimePass(600);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> call(vertx, () -> store.lastSeen("carol")).isEmpty());
  }
}
