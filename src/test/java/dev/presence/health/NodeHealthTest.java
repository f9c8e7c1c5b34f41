package dev.presence.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Liveness fails while any connection-owning event loop is blocked; readiness follows member and drain. */
@ExtendWith(VertxExtension.class)
class NodeHealthTest {

  @Test
  void liveness_is_up_while_every_watched_loop_answers_and_down_while_one_is_blocked(Vertx vertx)
      throws Exception {
    NodeHealth health = new NodeHealth(vertx, () -> 1);
    io.vertx.core.Context[] loops = new io.vertx.core.Context[2];
    for (int i = 0; i < 2; i++) {
      int slot = i;
      await(vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          loops[slot] = context;
          health.watchEventLoop(context);
          return Future.succeededFuture();
        }
      }));
    }
    assertThat(await(health.liveness().checkStatus()).getUp()).isTrue();

    CountDownLatch release = new CountDownLatch(1);
    loops[1].runOnContext(v -> {
      try {
        release.await(10, TimeUnit.SECONDS); // a handler stuck in a blocking call
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      CheckResult blocked = await(health.liveness().checkStatus());
      assertThat(blocked.getUp()).isFalse();
      assertThat(blocked.toJson().encode()).contains("did not answer");
    } finally {
      release.countDown();
    }
    assertThat(await(health.liveness().checkStatus()).getUp()).isTrue();
  }

  @Test
  void readiness_needs_a_running_member_and_no_drain(Vertx vertx) throws Exception {
    AtomicInteger members = new AtomicInteger(2);
    NodeHealth health = new NodeHealth(vertx, members::get);
    assertThat(await(health.readiness().checkStatus()).getUp()).isTrue();

    members.set(0);
    assertThat(await(health.readiness().checkStatus()).getUp()).isFalse();

    members.set(2);
    health.startDraining();
    CheckResult draining = await(health.readiness().checkStatus());
    assertThat(draining.getUp()).isFalse();
    assertThat(draining.toJson().encode()).contains("draining");
    assertThat(health.isDraining()).isTrue();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
