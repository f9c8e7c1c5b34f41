package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.session.LeaveReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one wire form of presence events and eviction requests: what is written is read back unchanged. */
class PresenceEventJsonTest {

  static final long AT = 1_800_000_000_000L;
  static final SessionStatus AWAY = new SessionStatus(Availability.AWAY, "{\"room\":\"kitchen\"}", true);
  static final PresenceEntry ENTRY = new PresenceEntry("s-1", "alice", "Alice", "alice", "node-a", AT - 5_000,
      AT - 1_000, 7, AWAY);

  @Test
  void every_kind_of_event_round_trips() {
    List<PresenceEvent> events = List.of(
        PresenceEvent.join(ENTRY, AT),
        PresenceEvent.leave(ENTRY, LeaveReason.RESET, AT),
        PresenceEvent.nick("s-1", "alice", "Alicia", "node-a", AT),
        PresenceEvent.nick("s-1", "alice", null, "node-a", AT),
        PresenceEvent.status(ENTRY, AT),
        PresenceEvent.suspect(ENTRY, LeaveReason.HEARTBEAT_TIMEOUT, AT),
        PresenceEvent.resumed(ENTRY, AT),
        PresenceEvent.roomJoin(ENTRY, "#general", AT),
        PresenceEvent.roomLeave(ENTRY, "team:1/dev", "reset", AT),
        PresenceEvent.roomLeave(ENTRY, "#general", PresenceEvent.LEFT, AT),
        PresenceEvent.roomOccupied("#general", "node-a", AT),
        PresenceEvent.roomVacated("#general", "node-a", AT));
    for (PresenceEvent event : events) {
      assertThat(PresenceEventJson.fromJson(PresenceEventJson.toJson(event))).as(event.event()).contains(event);
      // As it travels: encoded to text and parsed again by another node.
      assertThat(PresenceEventJson.fromJson(new JsonObject(PresenceEventJson.toJson(event).encode())))
          .contains(event);
    }
  }

  @Test
  void a_leave_has_the_documented_fields() {
    JsonObject leave = PresenceEventJson.toJson(PresenceEvent.leave(ENTRY, LeaveReason.KICKED, AT));

    assertThat(leave.fieldNames()).containsExactlyInAnyOrder("event", "session", "user", "nick", "node", "reason",
        "at", "lastHeartbeat");
    assertThat(leave.getString("reason")).isEqualTo("kicked");
    assertThat(leave.getLong("lastHeartbeat")).isEqualTo(AT - 1_000);
  }

  @Test
  void a_join_carries_status_meta_and_idle() {
    JsonObject join = PresenceEventJson.toJson(PresenceEvent.join(ENTRY, AT));

    assertThat(join.getString("status")).isEqualTo("away");
    assertThat(join.getJsonObject("meta")).isEqualTo(new JsonObject().put("room", "kitchen"));
    assertThat(join.getBoolean("idle")).isTrue();
    assertThat(join.containsKey("lastHeartbeat")).isFalse();
    assertThat(join.getValue("reason")).isNull();
  }

  @Test
  void malformed_events_read_as_nothing_never_as_a_failure() {
    assertThat(PresenceEventJson.fromJson(null)).isEmpty();
    assertThat(PresenceEventJson.fromJson("join")).isEmpty();
    assertThat(PresenceEventJson.fromJson(new JsonArray())).isEmpty();
    assertThat(PresenceEventJson.fromJson(new JsonObject().put("event", "join"))).isEmpty();
    assertThat(PresenceEventJson.fromJson(new JsonObject().put("event", 1).put("session", "s"))).isEmpty();
    assertThat(PresenceEventJson.fromJson(new JsonObject().put("event", "join").put("session", 2))).isEmpty();
  }

  @Test
  void fields_of_the_wrong_type_read_as_absent() {
    JsonObject odd = new JsonObject().put("event", "leave").put("session", "s").put("user", 5).put("at", "soon")
        .put("lastHeartbeat", true).put("status", "sleeping");

    PresenceEvent event = PresenceEventJson.fromJson(odd).orElseThrow();

    assertThat(event.user()).isNull();
    assertThat(event.at()).isZero();
    assertThat(event.lastRenewedAt()).isZero();
    assertThat(event.status()).isNull();
  }

  @Test
  void eviction_requests_round_trip_with_and_without_detail() {
    EvictionRequest kick = new EvictionRequest("s-1", LeaveReason.KICKED, "spam");
    EvictionRequest sweep = new EvictionRequest("s-2", LeaveReason.EXPIRED, null);

    assertThat(EvictionRequest.fromJson(kick.toJson())).contains(kick);
    assertThat(EvictionRequest.fromJson(sweep.toJson())).contains(sweep);
    assertThat(sweep.toJson().fieldNames()).containsExactlyInAnyOrder("session", "reason");
  }

  @Test
  void an_eviction_request_by_token_round_trips_and_names_no_session() {
    EvictionRequest byToken = EvictionRequest.byToken("jti-1", LeaveReason.KICKED, "leaked");

    assertThat(EvictionRequest.fromJson(byToken.toJson())).contains(byToken);
    assertThat(byToken.toJson().fieldNames()).containsExactlyInAnyOrder("jti", "reason", "detail");
    // A session named beside a jti wins: the request is by session, as a node from before tokens reads it.
    assertThat(EvictionRequest.fromJson(new JsonObject().put("session", "s").put("jti", "j")))
        .contains(new EvictionRequest("s", LeaveReason.EVICTED, null));
    assertThat(EvictionRequest.fromJson(new JsonObject().put("jti", 7))).isEmpty();
    assertThatThrownBy(() -> new EvictionRequest("s", "j", LeaveReason.KICKED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_kick_from_a_room_round_trips_and_keeps_its_session_out_of_the_session_field() {
    EvictionRequest fromRoom = EvictionRequest.fromRoom("s-1", "#general", "off topic");

    assertThat(EvictionRequest.fromJson(fromRoom.toJson())).contains(fromRoom);
    assertThat(fromRoom.toJson()).isEqualTo(new JsonObject().put("room", "#general").put("roomSession", "s-1")
        .put("reason", "kicked").put("detail", "off topic"));
    assertThat(EvictionRequest.fromJson(EvictionRequest.fromRoom("s-2", "r", null).toJson()))
        .contains(new EvictionRequest("s-2", null, "r", LeaveReason.KICKED, null));
    // Without a room it is no room kick, and nothing at all without a session to name.
    assertThat(EvictionRequest.fromJson(new JsonObject().put("roomSession", "s").put("reason", "kicked"))).isEmpty();
    assertThat(EvictionRequest.fromJson(new JsonObject().put("roomSession", "s").put("room", 3))).isEmpty();
    // A session named beside a room is a request to close it, as every node before room kicks reads it.
    assertThat(EvictionRequest.fromJson(new JsonObject().put("session", "s").put("room", "r")).orElseThrow().room())
        .isNull();
    assertThatThrownBy(() -> new EvictionRequest(null, "j", "r", LeaveReason.KICKED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_eviction_request_from_an_unknown_or_hostile_sender_is_read_safely() {
    assertThat(EvictionRequest.fromJson(new JsonObject().put("session", "s").put("reason", "teleported")))
        .contains(new EvictionRequest("s", LeaveReason.EVICTED, null));
    assertThat(EvictionRequest.fromJson(new JsonObject().put("session", "s").put("detail", 42)))
        .contains(new EvictionRequest("s", LeaveReason.EVICTED, null));
    assertThat(EvictionRequest.fromJson(new JsonObject().put("reason", "kicked"))).isEmpty();
    assertThat(EvictionRequest.fromJson("s-1")).isEmpty();
    assertThat(EvictionRequest.fromJson(null)).isEmpty();
  }

  @Test
  void a_room_occupancy_change_carries_a_room_and_no_session() {
    JsonObject wire = PresenceEventJson.toJson(PresenceEvent.roomVacated("#general", "node-a", AT));

    assertThat(wire.getString("event")).isEqualTo("room.vacated");
    assertThat(wire.getString("room")).isEqualTo("#general");
    assertThat(wire.getString("session")).isNull();
    assertThat(PresenceEventJson.fromJson(new JsonObject().put("event", "room.vacated"))).as("neither session nor room")
        .isEmpty();
  }
}
