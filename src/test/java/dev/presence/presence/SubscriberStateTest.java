package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.presence.PresenceSubscriber.Offer;
import dev.presence.presence.PresenceSubscriber.State;
import dev.presence.session.LeaveReason;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The subscriber's state machine as stories, with time passed in (no clock, no sleeping). */
class SubscriberStateTest {

  static final long T = 1_000_000;
  static final long WINDOW = PresenceSubscriber.BATCH_WINDOW_MS;

  static PresenceEvent join(String session, String user) {
    return new PresenceEvent("join", session, user, null, "node-a", null, T, 0, null);
  }

  static PresenceEvent leave(String session, String user, String reason) {
    return new PresenceEvent("leave", session, user, "Nick", "node-a", reason, T, T - 10, null);
  }

  static PresenceEvent nick(String session, String user, String nick) {
    return new PresenceEvent("nick", session, user, nick, "node-a", null, T, 0, null);
  }

  static List<String> sessions(List<PresenceEvent> events) {
    return events.stream().map(PresenceEvent::session).toList();
  }

  @Test
  void changes_published_while_the_snapshot_is_read_are_kept_and_handed_out_right_after_it() {
    PresenceSubscriber subscriber = new PresenceSubscriber(Set.of("alice"), 10, WINDOW);
    long epoch = subscriber.epoch();

    assertThat(subscriber.offer(join("s1", "alice"), T)).isEqualTo(Offer.QUEUED);
    assertThat(subscriber.takeDue(T + 10 * WINDOW)).as("nothing flushes before the snapshot")
        .isEqualTo(PresenceDiff.EMPTY);
    assertThat(subscriber.snapshotWanted(epoch)).isTrue();

    PresenceDiff afterSnapshot = subscriber.snapshotSent(epoch);
    assertThat(subscriber.state()).isEqualTo(State.LIVE);
    assertThat(sessions(afterSnapshot.joins())).containsExactly("s1");
    assertThat(subscriber.queued()).isZero();
  }

  @Test
  void a_burst_within_the_window_becomes_one_diff_sorted_into_joins_leaves_and_updates() {
    PresenceSubscriber subscriber = live(null, 10);

    assertThat(subscriber.offer(join("s1", "alice"), T)).isEqualTo(Offer.SCHEDULE_FLUSH);
    assertThat(subscriber.flushDueAt()).isEqualTo(T + WINDOW);
    assertThat(subscriber.offer(nick("s1", "alice", "Alice"), T + 10)).isEqualTo(Offer.QUEUED);
    assertThat(subscriber.offer(leave("s2", "bob", "reset"), T + 20)).isEqualTo(Offer.QUEUED);
    assertThat(subscriber.offer(new PresenceEvent("status", "s3", "carol", null, "n", null, T, 0, null), T + 30))
        .isEqualTo(Offer.QUEUED);

    assertThat(subscriber.takeDue(T + WINDOW - 1)).isEqualTo(PresenceDiff.EMPTY);
    PresenceDiff diff = subscriber.takeDue(T + WINDOW);
    assertThat(sessions(diff.joins())).containsExactly("s1");
    assertThat(sessions(diff.leaves())).containsExactly("s2");
    assertThat(sessions(diff.updates())).as("nick and unknown kinds are updates").containsExactly("s1", "s3");
    assertThat(subscriber.flushDueAt()).isEqualTo(-1);

    assertThat(subscriber.offer(join("s4", "dave"), T + 100)).as("the next change starts a new batch")
        .isEqualTo(Offer.SCHEDULE_FLUSH);
  }

  @Test
  void a_subscription_to_some_users_ignores_everybody_else() {
    PresenceSubscriber subscriber = live(Set.of("alice", "bob"));

    assertThat(subscriber.offer(join("s1", "mallory"), T)).isEqualTo(Offer.IGNORED);
    assertThat(subscriber.offer(join("s2", "bob"), T)).isEqualTo(Offer.SCHEDULE_FLUSH);
    assertThat(subscriber.queued()).isEqualTo(1);
    assertThat(subscriber.wants(null)).isFalse();
  }

  @Test
  void a_queue_over_its_bound_is_dropped_and_the_subscriber_resyncs_once_its_socket_drained() {
    PresenceSubscriber subscriber = live(null);
    long before = subscriber.epoch();
    for (int i = 0; i < 3; i++) {
      subscriber.offer(join("s" + i, "u" + i), T);
    }

    assertThat(subscriber.offer(join("s3", "u3"), T)).isEqualTo(Offer.RESYNC);
    assertThat(subscriber.state()).isEqualTo(State.RESYNC_PENDING);
    assertThat(subscriber.queued()).isZero();
    assertThat(subscriber.offer(join("s4", "u4"), T)).as("nothing is kept until the drain").isEqualTo(Offer.IGNORED);
    assertThat(subscriber.takeDue(T + WINDOW)).isEqualTo(PresenceDiff.EMPTY);
    assertThat(subscriber.socketFull()).as("one resync notice per episode").isFalse();

    assertThat(subscriber.drained()).isTrue();
    assertThat(subscriber.state()).isEqualTo(State.COLLECTING);
    assertThat(subscriber.epoch()).isGreaterThan(before);
    assertThat(subscriber.snapshotWanted(before)).as("a snapshot read before the resync is stale").isFalse();
    assertThat(subscriber.snapshotSent(before)).isEqualTo(PresenceDiff.EMPTY);
    assertThat(subscriber.state()).isEqualTo(State.COLLECTING);
    assertThat(subscriber.drained()).as("a second drain changes nothing").isFalse();
  }

  @Test
  void a_full_socket_drops_the_queue_and_the_next_snapshot_resumes_the_diffs() {
    PresenceSubscriber subscriber = live(null);
    subscriber.offer(join("s1", "alice"), T);

    assertThat(subscriber.socketFull()).isTrue();
    assertThat(subscriber.queued()).isZero();
    subscriber.drained();
    long epoch = subscriber.epoch();
    subscriber.offer(leave("s1", "alice", "reset"), T + 5);

    PresenceDiff collected = subscriber.snapshotSent(epoch);
    assertThat(sessions(collected.leaves())).containsExactly("s1");
    assertThat(subscriber.offer(join("s2", "bob"), T + 6)).isEqualTo(Offer.SCHEDULE_FLUSH);
  }

  @Test
  void the_queue_never_holds_more_than_its_capacity_whatever_arrives() {
    PresenceSubscriber subscriber = live(null);
    int max = 0;
    for (int i = 0; i < 10_000; i++) {
      if (subscriber.offer(join("s" + i, "u"), T + i) == Offer.RESYNC) {
        subscriber.drained();
        subscriber.snapshotSent(subscriber.epoch());
      }
      max = Math.max(max, subscriber.queued());
    }
    assertThat(max).isEqualTo(3);
  }

  @Test
  void leave_reasons_are_shown_as_the_seven_subscriber_codes() {
    assertThat(PresenceDiff.subscriberReason("bye")).isEqualTo("closed");
    assertThat(PresenceDiff.subscriberReason("closed")).isEqualTo("closed");
    assertThat(PresenceDiff.subscriberReason("heartbeat_timeout")).isEqualTo("timeout");
    assertThat(PresenceDiff.subscriberReason("expired")).isEqualTo("timeout");
    assertThat(PresenceDiff.subscriberReason("token_expired")).isEqualTo("timeout");
    assertThat(PresenceDiff.subscriberReason("reset")).isEqualTo("reset");
    assertThat(PresenceDiff.subscriberReason("send_failed")).isEqualTo("reset");
    assertThat(PresenceDiff.subscriberReason("protocol_error")).isEqualTo("reset");
    assertThat(PresenceDiff.subscriberReason("server_error")).isEqualTo("reset");
    assertThat(PresenceDiff.subscriberReason("evicted")).isEqualTo("kicked");
    assertThat(PresenceDiff.subscriberReason("kicked")).isEqualTo("kicked");
    assertThat(PresenceDiff.subscriberReason("node_lost")).isEqualTo("node_lost");
    assertThat(PresenceDiff.subscriberReason("takeover")).isEqualTo("takeover");
    assertThat(PresenceDiff.subscriberReason("shutdown")).isEqualTo("shutdown");
    assertThat(PresenceDiff.subscriberReason(null)).isEqualTo("closed");
    assertThat(PresenceDiff.subscriberReason("something_new")).isEqualTo("closed");
  }

  @Test
  void every_leave_reason_of_this_node_maps_to_one_of_the_seven_codes() {
    Set<String> codes = Set.of("closed", "timeout", "reset", "node_lost", "kicked", "takeover", "shutdown");
    for (LeaveReason reason : LeaveReason.values()) {
      assertThat(PresenceDiff.subscriberReason(reason.wireName())).as("%s", reason).isIn(codes);
    }
  }

  /** A subscriber with capacity 3 whose first (empty) snapshot went out. */
  private static PresenceSubscriber live(Set<String> users) {
    return live(users, 3);
  }

  private static PresenceSubscriber live(Set<String> users, int capacity) {
    PresenceSubscriber subscriber = new PresenceSubscriber(users, capacity, WINDOW);
    subscriber.snapshotSent(subscriber.epoch());
    return subscriber;
  }

  @Test
  void room_changes_are_not_changes_of_the_global_view() {
    PresenceSubscriber subscriber = live(null, 10);
    PresenceEntry alice = PresenceEntry.joined("s1", "alice", "node-a", T);

    assertThat(subscriber.offer(PresenceEvent.roomJoin(alice, "#general", T), T)).isEqualTo(Offer.IGNORED);
    assertThat(subscriber.offer(PresenceEvent.roomVacated("#general", "node-a", T), T)).isEqualTo(Offer.IGNORED);
    assertThat(subscriber.queued()).isZero();
  }
}
