package dev.presence.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomGrantsTest {

  @Test
  void development_mode_may_join_and_watch_every_room() {
    assertThat(RoomGrants.ALL.mayJoin("#anything")).isTrue();
    assertThat(RoomGrants.ALL.mayWatch("#anything")).isTrue();
  }

  @Test
  void a_token_without_a_rooms_claim_may_join_nothing() {
    assertThat(RoomGrants.fromClaim(null).mayJoin("#general")).isFalse();
    assertThat(RoomGrants.fromClaim(List.of()).mayWatch("#general")).isFalse();
  }

  @Test
  void an_exact_name_grants_that_room_only() {
    RoomGrants grants = RoomGrants.fromClaim(List.of("#general"));

    assertThat(grants.mayJoin("#general")).isTrue();
    assertThat(grants.mayJoin("#general2")).isFalse();
    assertThat(grants.mayJoin("#General")).as("names compare exactly").isFalse();
  }

  @Test
  void a_prefix_pattern_grants_every_room_starting_with_it() {
    RoomGrants grants = RoomGrants.fromClaim(List.of("team:42/*"));

    assertThat(grants.mayJoin("team:42/design")).isTrue();
    assertThat(grants.mayJoin("team:42/")).isTrue();
    assertThat(grants.mayJoin("team:421")).isFalse();
    assertThat(grants.mayJoin("team:43/design")).isFalse();
  }

  @Test
  void a_star_alone_grants_every_room() {
    assertThat(RoomGrants.fromClaim(List.of("*")).mayJoin("#x")).isTrue();
  }

  @Test
  void watch_entries_grant_watching_only() {
    RoomGrants grants = RoomGrants.fromClaim(List.of("watch:#announcements", "watch:ops:*", "#general"));

    assertThat(grants.mayJoin("#announcements")).isFalse();
    assertThat(grants.mayWatch("#announcements")).isTrue();
    assertThat(grants.mayWatch("ops:alerts")).isTrue();
    assertThat(grants.mayJoin("ops:alerts")).isFalse();
    assertThat(grants.mayWatch("#general")).as("joining implies watching").isTrue();
  }

  @Test
  void a_room_actually_named_watch_colon_is_joinable_by_its_exact_name_only_through_the_watch_marker_rule() {
    // "watch:" alone has nothing behind the marker, so it is the room name "watch:" itself.
    assertThat(RoomGrants.fromClaim(List.of("watch:")).mayJoin("watch:")).isTrue();
  }

  @Test
  void entries_that_are_no_room_names_or_no_strings_grant_nothing() {
    RoomGrants grants = RoomGrants.fromClaim(Arrays.asList("two words", 42, null, "bad*star*", "#ok"));

    assertThat(grants.mayJoin("two words")).isFalse();
    assertThat(grants.mayJoin("bad")).isFalse();
    assertThat(grants.mayJoin("#ok")).isTrue();
  }
}
