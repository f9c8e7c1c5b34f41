package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room feed's rules (docs/protocol.md §12.1), without a cluster: time is passed in, events are built here. */
class RoomFeedTest {

  static final String ROOM = "#general";
  static final long WINDOW = 50;

  final List<String> index = new ArrayList<>();
  final RoomFeed.MemberListener listener = new RoomFeed.MemberListener() {
    @Override
    public void added(String session, String room) {
      index.add("+" + session);
    }

    @Override
    public void removed(String session, String room) {
      index.add("-" + session);
    }
  };

  static PresenceEntry entry(String session, String user) {
    return new PresenceEntry(session, user, null, null, "n1", 1, 1, 1);
  }

  static PresenceEvent join(String session, String user, String room) {
    return PresenceEvent.roomJoin(entry(session, user), room, 10);
  }

  static PresenceEvent leave(String session, String user, String reason) {
    return PresenceEvent.roomLeave(entry(session, user), ROOM, reason, 20);
  }

  RoomFeed live(PresenceEntry... members) {
    RoomFeed feed = new RoomFeed(ROOM, 1_000, WINDOW, listener);
    long read = feed.startRead();
    assertThat(feed.finishRead(read, List.of(members), 0).loaded()).isTrue();
    return feed;
  }

  static List<String> sessions(List<PresenceEvent> events) {
    return events.stream().map(PresenceEvent::session).toList();
  }

  @Test
  void the_first_read_makes_the_feed_live_and_diffs_are_numbered_one_after_another() {
    RoomFeed feed = live(entry("s1", "alice"));
    assertThat(feed.seq()).isZero();
    assertThat(feed.members()).extracting(RoomMember::session).containsExactly("s1");

    assertThat(feed.offer(join("s2", "bob", ROOM), 100)).isEqualTo(RoomFeed.Offer.SCHEDULE_FLUSH);
    assertThat(feed.offer(join("s3", "bob", ROOM), 110)).isEqualTo(RoomFeed.Offer.QUEUED);
    assertThat(feed.takeDue(149)).as("not due before the window ends").isNull();
    RoomFeed.Batch first = feed.takeDue(150);
    assertThat(first.seq()).isEqualTo(1);
    assertThat(sessions(first.diff().joins())).containsExactly("s2", "s3");
    assertThat(feed.sessions()).isEqualTo(3);
    assertThat(feed.users()).isEqualTo(2);

    feed.offer(leave("s2", "bob", PresenceEvent.LEFT), 200);
    RoomFeed.Batch second = feed.takeDue(250);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.diff().leaves()).singleElement().satisfies(e -> {
      assertThat(e.session()).isEqualTo("s2");
      assertThat(e.reason()).isEqualTo(PresenceEvent.LEFT);
    });
    assertThat(feed.users()).isEqualTo(2);
    assertThat(index).containsExactly("+s1", "+s2", "+s3", "-s2");
  }

  @Test
  void other_rooms_and_sessions_outside_the_view_are_ignored() {
    RoomFeed feed = live(entry("s1", "alice"));
    assertThat(feed.offer(join("s2", "bob", "#other"), 100)).isEqualTo(RoomFeed.Offer.IGNORED);
    PresenceEvent nickOfStranger = new PresenceEvent("nick", "s9", "zed", "Zed", "n1", null, 100, 0, null, null);
    assertThat(feed.offer(nickOfStranger, 100)).isEqualTo(RoomFeed.Offer.IGNORED);
    assertThat(feed.offer(PresenceEvent.roomOccupied(ROOM, "n1", 100), 100)).isEqualTo(RoomFeed.Offer.IGNORED);
  }

  @Test
  void a_join_and_a_leave_in_one_window_cancel_out_and_use_no_sequence_number() {
    RoomFeed feed = live();
    feed.offer(join("s2", "bob", ROOM), 100);
    feed.offer(leave("s2", "bob", "reset"), 120);
    assertThat(feed.takeDue(200)).isNull();
    assertThat(feed.seq()).isZero();
    feed.offer(join("s3", "carol", ROOM), 300);
    assertThat(feed.takeDue(400).seq()).isEqualTo(1);
  }

  @Test
  void a_snapshot_inside_a_window_shows_the_room_as_of_its_seq_so_a_join_and_leave_there_leaves_no_ghost() {
    RoomFeed feed = live(entry("s1", "alice"), entry("s4", "dan"));
    feed.offer(join("s2", "bob", ROOM), 100);
    feed.offer(leave("s4", "dan", PresenceEvent.LEFT), 105);
    SessionStatus away = new SessionStatus(Availability.AWAY, null, false);
    feed.offer(new PresenceEvent("status", "s1", "alice", null, "n1", null, 110, 0, away), 110);

    // A watcher that subscribes now gets this snapshot, labelled seq 0: none of the window's changes are in it.
    List<RoomMember> snapshot = feed.membersAtSeq();
    assertThat(snapshot).extracting(RoomMember::session).containsExactly("s1", "s4");
    assertThat(snapshot.get(0).entry().status()).isNotEqualTo(away);
    assertThat(feed.members().get(0).entry().status()).isEqualTo(away);
    assertThat(feed.members()).extracting(RoomMember::session).as("the view itself is ahead").containsExactly("s1", "s2");

    feed.offer(leave("s2", "bob", "reset"), 120); // cancels the join: no diff will ever mention s2
    assertThat(feed.membersAtSeq()).extracting(RoomMember::session).containsExactly("s1", "s4");
    RoomFeed.Batch batch = feed.takeDue(150);
    assertThat(batch.seq()).isEqualTo(1);
    assertThat(batch.diff().joins()).isEmpty();
    assertThat(sessions(batch.diff().leaves())).containsExactly("s4");
    assertThat(sessions(batch.diff().updates())).containsExactly("s1");
    // The snapshot with that diff applied is the view, and with no batch pending the two lists agree.
    assertThat(feed.membersAtSeq()).extracting(RoomMember::session).containsExactly("s1");
    assertThat(feed.membersAtSeq()).isEqualTo(feed.members());
  }

  @Test
  void a_global_change_of_a_member_is_an_update_and_its_global_leave_removes_it_once() {
    RoomFeed feed = live(entry("s1", "alice"));
    PresenceEvent nick = new PresenceEvent("nick", "s1", "alice", "Ali", "n1", null, 100, 0, null, null);
    feed.offer(nick, 100);
    RoomFeed.Batch batch = feed.takeDue(200);
    assertThat(batch.diff().updates()).singleElement().satisfies(e -> {
      assertThat(e.event()).isEqualTo("nick");
      assertThat(e.nick()).isEqualTo("Ali");
    });
    PresenceEvent ended = new PresenceEvent("leave", "s1", "alice", "Ali", "n1", "heartbeat_timeout", 300, 0, null,
        null);
    feed.offer(ended, 300);
    assertThat(feed.offer(leave("s1", "alice", "heartbeat_timeout"), 310)).as("the room's own leave comes after")
        .isEqualTo(RoomFeed.Offer.IGNORED);
    RoomFeed.Batch gone = feed.takeDue(400);
    assertThat(gone.diff().leaves()).singleElement().extracting(PresenceEvent::reason).isEqualTo("heartbeat_timeout");
    assertThat(feed.sessions()).isZero();
  }

  @Test
  void a_room_update_changes_the_members_room_nickname_and_meta_in_the_next_diff() {
    RoomFeed feed = live(entry("s1", "alice"));
    PresenceEvent update = new PresenceEvent(PresenceEvent.ROOM_UPDATE, "s1", "alice", null, "n1", null, 100, 0, null,
        ROOM, "Star", "{\"role\":\"host\"}");
    assertThat(feed.offer(update, 100)).isEqualTo(RoomFeed.Offer.SCHEDULE_FLUSH);
    RoomFeed.Batch batch = feed.takeDue(200);
    assertThat(batch.diff().updates()).singleElement().satisfies(e -> {
      assertThat(e.event()).isEqualTo(PresenceEvent.ROOM_UPDATE);
      assertThat(e.roomNick()).isEqualTo("Star");
      assertThat(e.roomMeta()).isEqualTo("{\"role\":\"host\"}");
    });
    assertThat(feed.members()).singleElement().extracting(RoomMember::roomNick).isEqualTo("Star");
  }

  @Test
  void a_check_read_corrects_a_missed_leave_and_a_missed_join() {
    RoomFeed feed = live(entry("s1", "alice"), entry("s2", "bob"));
    long read = feed.startRead();
    RoomFeed.ReadOutcome outcome = feed.finishRead(read, List.of(entry("s1", "alice"), entry("s3", "carol")), 100);
    assertThat(outcome.loaded()).isFalse();
    assertThat(outcome.corrections()).isEqualTo(2);
    assertThat(outcome.offer()).isEqualTo(RoomFeed.Offer.SCHEDULE_FLUSH);
    RoomFeed.Batch batch = feed.takeDue(200);
    assertThat(sessions(batch.diff().joins())).containsExactly("s3");
    assertThat(batch.diff().leaves()).singleElement().satisfies(e -> {
      assertThat(e.session()).isEqualTo("s2");
      assertThat(e.reason()).isEqualTo(RoomFeed.GONE);
    });
  }

  @Test
  void a_read_never_undoes_an_event_that_arrived_while_it_was_in_flight() {
    RoomFeed feed = live(entry("s1", "alice"));
    long read = feed.startRead();
    feed.offer(join("s2", "bob", ROOM), 100); // joined after the read looked
    feed.offer(leave("s1", "alice", PresenceEvent.LEFT), 110); // left after the read looked
    RoomFeed.ReadOutcome outcome = feed.finishRead(read, List.of(entry("s1", "alice")), 120);
    assertThat(outcome.corrections()).isZero();
    assertThat(feed.members()).extracting(RoomMember::session).containsExactly("s2");
  }

  @Test
  void a_leave_seen_while_loading_is_not_undone_by_the_first_read() {
    RoomFeed feed = new RoomFeed(ROOM, 1_000, WINDOW, listener);
    long read = feed.startRead();
    feed.offer(leave("s1", "alice", PresenceEvent.LEFT), 10);
    feed.offer(join("s2", "bob", ROOM), 20);
    assertThat(feed.takeDue(1_000)).as("no diff before the snapshot").isNull();
    feed.finishRead(read, List.of(entry("s1", "alice")), 30);
    assertThat(feed.live()).isTrue();
    assertThat(feed.members()).extracting(RoomMember::session).containsExactly("s2");
    assertThat(feed.takeDue(1_000)).as("the snapshot carries what happened while loading").isNull();
  }

  @Test
  void a_stale_read_is_ignored() {
    RoomFeed feed = live(entry("s1", "alice"));
    long older = feed.startRead();
    long newer = feed.startRead();
    assertThat(feed.finishRead(older, List.of(), 100)).isNull();
    assertThat(feed.finishRead(newer, List.of(entry("s1", "alice")), 100).corrections()).isZero();
  }

  @Test
  void the_digest_is_sha256_of_the_sorted_session_ids_joined_by_newlines() {
    RoomFeed feed = live(entry("b", "bob"), entry("a", "alice"));
    // printf 'a\nb' | sha256sum
    assertThat(feed.digest()).isEqualTo("7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78");
    assertThat(RoomFeed.digestOf(List.of("b", "a"))).isEqualTo(RoomFeed.digestOf(List.of("a", "b")));
    assertThat(RoomFeed.digestOf(List.of())).isEqualTo(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void a_digest_is_owed_after_diffs_and_a_large_room_switches_to_counts_and_back() {
    RoomFeed feed = new RoomFeed(ROOM, 3, WINDOW, listener);
    feed.finishRead(feed.startRead(), List.of(entry("s1", "u1")), 0);
    assertThat(feed.tick()).isEqualTo(RoomFeed.Tick.NONE);
    feed.offer(join("s2", "u2", ROOM), 100);
    feed.takeDue(200);
    feed.offer(join("s9", "u9", ROOM), 250);
    assertThat(feed.tick()).as("a batch is pending: the view is ahead of seq").isEqualTo(RoomFeed.Tick.NONE);
    feed.offer(leave("s9", "u9", "left"), 260);
    feed.takeDue(300);
    assertThat(feed.tick()).isEqualTo(RoomFeed.Tick.DIGEST);
    assertThat(feed.tick()).isEqualTo(RoomFeed.Tick.NONE);

    feed.offer(join("s3", "u3", ROOM), 300);
    assertThat(feed.outgrown()).as("3 members, not above 3").isFalse();
    feed.offer(join("s4", "u4", ROOM), 300);
    assertThat(feed.outgrown()).as("4 members > 3: its owner ticks it at once").isTrue();
    assertThat(feed.tick()).as("4 members > 3").isEqualTo(RoomFeed.Tick.COUNTS);
    assertThat(feed.large()).isTrue();
    assertThat(feed.outgrown()).as("in counts mode already").isFalse();
    assertThat(feed.takeDue(1_000)).as("no diffs in counts mode").isNull();
    assertThat(feed.tick()).isEqualTo(RoomFeed.Tick.NONE);
    assertThat(feed.offer(join("s5", "u5", ROOM), 400)).isEqualTo(RoomFeed.Offer.QUEUED);
    assertThat(feed.tick()).isEqualTo(RoomFeed.Tick.COUNTS);

    feed.batchWhenLarge(true);
    assertThat(feed.offer(join("s6", "u6", ROOM), 450)).as("a follower of users: diffs kept in counts mode")
        .isEqualTo(RoomFeed.Offer.SCHEDULE_FLUSH);
    assertThat(feed.takeDue(500).diff().joins()).extracting(PresenceEvent::session).containsExactly("s6");
    feed.batchWhenLarge(false);
    feed.offer(leave("s6", "u6", "left"), 500);
    feed.offer(leave("s5", "u5", "left"), 500);
    feed.offer(leave("s4", "u4", "left"), 500);
    feed.offer(leave("s3", "u3", "left"), 500);
    assertThat(feed.tick()).as("2 members <= 9/10 of 3").isEqualTo(RoomFeed.Tick.SNAPSHOT);
    assertThat(feed.large()).isFalse();
    assertThat(feed.tick()).isEqualTo(RoomFeed.Tick.NONE);
  }
}
