package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.presence.Availability;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.RoomMember;
import dev.presence.presence.SessionStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The room snapshot is written as a stream ({@link JsonFrameWriter}) while every other frame that shows an entry is
 * built as a tree ({@link ServerMessages#entry}): both must show a member exactly alike.
 */
class RoomStateFrameTest {

  private static final PresenceEntry PLAIN = new PresenceEntry("s-1", "alice", null, null, "node-a", 1_000L, 2_000L,
      1L, SessionStatus.ONLINE);
  private static final PresenceEntry TRICKY = new PresenceEntry("s-2", "b\"ob\\\n\u00e9\u2603", "Bób", "bob", "node-b",
      3_000L, 4_000L, 2L, new SessionStatus(Availability.DND, "{\"mood\":\"\\\"x\\\"\",\"n\":[1,2]}", true))
      .hold(9_000L);

  @Test
  void a_snapshot_written_as_a_stream_shows_each_member_as_the_tree_built_frames_do() {
    List<RoomMember> members = List.of(new RoomMember(PLAIN, null, null),
        new RoomMember(TRICKY, "Bobby \"B\" \uD83C\uDF89", "{\"seat\":4}"));

    JsonObject frame = new JsonObject(ServerMessages.roomState("#general", 7, members));

    assertThat(frame.fieldNames()).containsExactly("type", "sessions", "truncated", "room", "seq");
    assertThat(frame.getString("type")).isEqualTo("presence.state");
    assertThat(frame.getBoolean("truncated")).isFalse();
    assertThat(frame.getString("room")).isEqualTo("#general");
    assertThat(frame.getLong("seq")).isEqualTo(7);
    JsonArray sessions = frame.getJsonArray("sessions");
    assertThat(sessions.getJsonObject(0)).isEqualTo(ServerMessages.entry(PLAIN).put("roomNick", (String) null)
        .put("roomMeta", (JsonObject) null));
    // A character beyond the BMP (a surrogate pair in Java) survives the stream's UTF-8 bytes and their decoding.
    assertThat(sessions.getJsonObject(1)).isEqualTo(ServerMessages.entry(TRICKY).put("roomNick", "Bobby \"B\" \uD83C\uDF89")
        .put("roomMeta", new JsonObject().put("seat", 4)));
    JsonObject tricky = sessions.getJsonObject(1);
    assertThat(tricky.getString("user")).isEqualTo("b\"ob\\\n\u00e9\u2603");
    assertThat(tricky.getJsonObject("meta")).isEqualTo(new JsonObject().put("mood", "\"x\"")
        .put("n", new JsonArray().add(1).add(2)));
    assertThat(tricky.getString("status")).isEqualTo("dnd");
    assertThat(tricky.getBoolean("idle")).isTrue();
    assertThat(tricky.getBoolean("suspect")).isTrue();
    assertThat(tricky.getLong("since")).isEqualTo(3_000L);
  }

  @Test
  void stored_meta_that_is_not_one_json_object_is_shown_as_none_in_the_stream_and_the_tree_alike() {
    for (String unreadable : List.of("{\"a\":", "[1,2]", "{\"a\":1} {\"b\":2}", "42", "")) {
      PresenceEntry entry = new PresenceEntry("s-3", "carol", null, null, "node-a", 1L, 1L, 1L,
          new SessionStatus(Availability.AWAY, unreadable, false));

      JsonObject member = new JsonObject(ServerMessages.roomState("r", 0,
          List.of(new RoomMember(entry, null, unreadable)))).getJsonArray("sessions").getJsonObject(0);

      assertThat(member.getValue("meta")).as(unreadable).isNull();
      assertThat(member.getValue("roomMeta")).as(unreadable).isNull();
      assertThat(ServerMessages.entry(entry).getValue("meta")).as(unreadable).isNull();
    }
  }

  @Test
  void a_followed_users_state_has_no_seq_and_says_users() {
    JsonObject frame = new JsonObject(ServerMessages.roomUsersState("big", List.of(new RoomMember(PLAIN, "al",
        null))));

    assertThat(frame.fieldNames()).containsExactly("type", "sessions", "truncated", "room", "seq", "users");
    assertThat(frame.getValue("seq")).isNull();
    assertThat(frame.getBoolean("users")).isTrue();
    assertThat(frame.getJsonArray("sessions").getJsonObject(0).getString("roomNick")).isEqualTo("al");
  }

  @Test
  void an_empty_room_is_an_empty_list() {
    assertThat(new JsonObject(ServerMessages.roomState("r", 3, List.of())).getJsonArray("sessions")).isEmpty();
  }
}
