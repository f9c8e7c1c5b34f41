package dev.presence.load.bare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bare baseline's rooms answer and fan out as the node's do (the shapes the generator reads): counts in
 * {@code joined}, a snapshot, one numbered diff per window with the window's joins and leaves, counts only above the
 * large threshold, and {@code GET /rooms/{room}}'s pages. A real Vert.x for the window timers.
 */
class BareRoomsTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** A client whose frames queue up for the test to read. */
  private record Recorder(String session, String user, BlockingQueue<String> frames) implements BareRooms.Client {
    Recorder(String session, String user) {
      this(session, user, new LinkedBlockingQueue<>());
    }

    @Override
    public void send(String frame) {
      frames.add(frame);
    }

    JsonObject next() throws InterruptedException {
      String frame = frames.poll(5, TimeUnit.SECONDS);
      assertNotNull(frame, session + " got no frame within 5 s");
      return new JsonObject(frame);
    }
  }

  @Test
  void a_join_answers_the_counts_and_a_snapshot_and_the_watchers_get_one_numbered_diff_per_window()
      throws Exception {
    BareRooms rooms = new BareRooms(vertx, 1000, "node-1");
    Recorder ann = new Recorder("s-a", "ann");
    Recorder bob = new Recorder("s-b", "bob");
    Recorder bob2 = new Recorder("s-c", "bob");

    BareRooms.Joined first = rooms.join(ann, "#r", true);
    JsonObject joined = new JsonObject(first.joined());
    assertEquals("joined", joined.getString("type"));
    assertEquals(1, joined.getInteger("members"));
    assertEquals(1, joined.getInteger("users"));
    JsonObject state = new JsonObject(first.snapshot());
    assertEquals("presence.state", state.getString("type"));
    assertEquals("s-a", state.getJsonArray("sessions").getJsonObject(0).getString("session"));

    rooms.join(bob, "#r", false);
    JsonObject third = new JsonObject(rooms.join(bob2, "#r", true).joined());
    assertEquals(3, third.getInteger("members"));
    assertEquals(2, third.getInteger("users"), "one user with two sessions counts once");

    // ann's own join opened the first window: one diff with all three joins, numbered 1.
    JsonObject diff = ann.next();
    assertEquals("presence.diff", diff.getString("type"));
    assertEquals("#r", diff.getString("room"));
    assertEquals(1L, diff.getLong("seq"));
    assertEquals(3, diff.getJsonArray("joins").size());
    assertTrue(bob.frames().isEmpty(), "bob joined without watching");

    assertTrue(rooms.leave(bob, "#r"));
    assertFalse(rooms.leave(bob, "#r"), "not a member any more");
    JsonObject leave = ann.next();
    assertEquals(2L, leave.getLong("seq"));
    JsonArray leaves = leave.getJsonArray("leaves");
    assertEquals(1, leaves.size());
    assertEquals("s-b", leaves.getJsonObject(0).getString("session"));
    assertEquals("bob", leaves.getJsonObject(0).getString("user"));
  }

  @Test
  void above_the_large_threshold_watchers_get_counts_instead_of_members() throws Exception {
    BareRooms rooms = new BareRooms(vertx, 2, "node-1");
    Recorder watcher = new Recorder("s-w", "w");
    rooms.join(watcher, "big", true);
    rooms.join(new Recorder("s-x", "x"), "big", false);
    watcher.next(); // the window of the first two joins, while the room was small

    BareRooms.Joined third = rooms.join(new Recorder("s-y", "y"), "big", true);
    JsonObject snapshot = new JsonObject(third.snapshot());
    assertEquals("presence.counts", snapshot.getString("type"));
    assertEquals(3, snapshot.getInteger("sessions"));
    JsonObject counts = watcher.next();
    assertEquals("presence.counts", counts.getString("type"));
    assertEquals(3, counts.getInteger("sessions"));
  }

  @Test
  void a_room_is_read_a_page_at_a_time_in_session_order() {
    BareRooms rooms = new BareRooms(vertx, 1000, "node-1");
    for (String session : new String[] {"s-3", "s-1", "s-2"}) {
      rooms.join(new Recorder(session, "u" + session), "#p", false);
    }

    JsonObject first = new JsonObject(rooms.page("#p", null, 2));
    assertEquals(3, first.getInteger("sessions"));
    assertEquals("s-1", first.getJsonArray("members").getJsonObject(0).getString("session"));
    assertEquals("s-2", first.getString("next"));
    JsonObject second = new JsonObject(rooms.page("#p", first.getString("next"), 2));
    assertEquals(1, second.getJsonArray("members").size());
    assertEquals("s-3", second.getJsonArray("members").getJsonObject(0).getString("session"));
    assertNull(second.getString("next"));
    assertEquals(0, new JsonObject(rooms.page("#none", null, 2)).getInteger("sessions"));
  }
}
