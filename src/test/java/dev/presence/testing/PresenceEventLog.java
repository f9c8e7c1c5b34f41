package dev.presence.testing;

import dev.presence.cluster.ClusterNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * Everything published on {@code presence.events} as one node's Vert.x receives it, in arrival order: a
 * subscriber that lives on another node than the sessions it watches. Events from one publisher arrive in the
 * order they were published, so an event a test causes after an end is a marker: once it arrived, anything the
 * same publisher sent for that end arrived before it. Recording is thread-safe; query from the test thread.
 */
public final class PresenceEventLog {

  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private PresenceEventLog() {
  }

  /**
   * Registers a consumer on {@code vertx}'s clustered event bus and waits until the registration is complete
   * (cluster-wide), so no event published afterwards is missed.
   *
   * @return the log
   */
  public static PresenceEventLog subscribe(Vertx vertx) {
    PresenceEventLog log = new PresenceEventLog();
    TestSession.await(vertx.eventBus().<JsonObject>consumer(ClusterNames.EVENTS_ADDRESS,
        message -> log.events.add(message.body())).completion());
    return log;
  }

  /** @return the events of one session so far, in arrival order */
  public List<JsonObject> of(String session) {
    return events.stream().filter(e -> session.equals(e.getString("session"))).toList();
  }

  /** @return the kinds ({@code join}, {@code nick}, {@code leave}, ...) of one session's events so far */
  public List<String> kindsOf(String session) {
    return of(session).stream().map(e -> e.getString("event")).toList();
  }

  /** @return the room changes ({@code room.*} events) of one room so far, in arrival order */
  public List<JsonObject> ofRoom(String room) {
    return events.stream().filter(e -> room.equals(e.getString("room"))).toList();
  }

  /** @return the room changes of one room so far as {@code "kind session reason"} lines (absent parts left out) */
  public List<String> roomStory(String room) {
    return ofRoom(room).stream().map(e -> String.join(" ", java.util.stream.Stream.of(e.getString("event"),
        e.getString("session"), e.getString("reason")).filter(java.util.Objects::nonNull).toList())).toList();
  }

  /** @return the {@code leave} events of one session so far */
  public List<JsonObject> leavesOf(String session) {
    return of(session).stream().filter(e -> "leave".equals(e.getString("event"))).toList();
  }

  /**
   * @return the first event of that kind for the session, waiting up to {@code atMost}; the failure lists
   *     what the session did receive
   */
  public JsonObject awaitFirst(String session, String kind, Duration atMost) {
    Awaitility.await(kind + " of session " + session).atMost(atMost).pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(kindsOf(session))
            .as("events of session %s: %s", session, of(session)).contains(kind));
    return of(session).stream().filter(e -> kind.equals(e.getString("event"))).findFirst().orElseThrow();
  }
}
