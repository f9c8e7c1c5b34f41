package dev.presence.it;

import dev.presence.testing.TestSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Event-bus observers for integration tests. */
final class TestSessionsAwait {

  private TestSessionsAwait() {
  }

  /** Records every message published on {@code address} as seen by that node; waits for registration. */
  static void consumer(Vertx vertx, String address, List<JsonObject> sink) {
    TestSession.await(vertx.eventBus().<JsonObject>consumer(address, m -> sink.add(m.body())).completion());
  }
}
