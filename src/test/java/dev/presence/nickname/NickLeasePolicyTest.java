package dev.presence.nickname;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Guards the nickname lease rules: who may claim a nickname when, and that fencing tokens only grow. */
class NickLeasePolicyTest {

  private static final String KEY = "alice";
  private static final String NICK = "Alice";
  private static final long TTL = 30_000;
  private static final long GRACE = 60_000;
  private static final long TOMBSTONE = 5_000;
  private static final long T0 = 1_700_000_000_000L;

  private static final NickHolder ANN_TAB1 = new NickHolder("s-ann-1", "ann", "node-a");
  private static final NickHolder ANN_TAB2 = new NickHolder("s-ann-2", "ann", "node-b");
  private static final NickHolder BOB = new NickHolder("s-bob", "bob", "node-a");

  private static ClaimOutcome.Granted granted(ClaimOutcome outcome) {
    assertThat(outcome).isInstanceOf(ClaimOutcome.Granted.class);
    return (ClaimOutcome.Granted) outcome;
  }

  private static NickLease claim(NickLease current, NickHolder claimant, long now) {
    return granted(NickLeasePolicy.claim(current, KEY, NICK, claimant, now, TTL)).lease();
  }

  private static NickLease heldByAnn() {
    return claim(null, ANN_TAB1, T0);
  }

  private static NickLease annInGrace() {
    return NickLeasePolicy.enterGrace(heldByAnn(), ANN_TAB1.session(), T0 + 1_000, GRACE);
  }

  @Test
  void free_nick_is_granted_held_by_the_claimant_with_a_token_not_below_now_times_1000() {
    ClaimOutcome.Granted outcome = granted(NickLeasePolicy.claim(null, KEY, NICK, ANN_TAB1, T0, TTL));

    assertThat(outcome.displacedSession()).isNull();
    NickLease lease = outcome.lease();
    assertThat(lease.key()).isEqualTo(KEY);
    assertThat(lease.nick()).isEqualTo(NICK);
    assertThat(lease.holder()).isEqualTo(ANN_TAB1);
    assertThat(lease.state()).isEqualTo(NickLeaseState.HELD);
    assertThat(lease.expiresAt()).isEqualTo(T0 + TTL);
    assertThat(lease.fencingToken()).isGreaterThanOrEqualTo(T0 * 1_000);
    assertThat(lease.isHeldBy(ANN_TAB1.session(), T0)).isTrue();
  }

  @Test
  void same_session_claiming_again_keeps_its_token_and_extends_the_lease() {
    NickLease first = heldByAnn();

    ClaimOutcome.Granted again = granted(
        NickLeasePolicy.claim(first, KEY, NICK, ANN_TAB1, T0 + 10_000, TTL));

    assertThat(again.displacedSession()).isNull();
    assertThat(again.lease().fencingToken()).isEqualTo(first.fencingToken());
    assertThat(again.lease().expiresAt()).isEqualTo(T0 + 10_000 + TTL);
    assertThat(again.lease().state()).isEqualTo(NickLeaseState.HELD);
  }

  @Test
  void other_user_cannot_take_a_held_nick() {
    NickLease held = heldByAnn();

    ClaimOutcome outcome = NickLeasePolicy.claim(held, KEY, NICK, BOB, T0 + TTL - 1, TTL);

    assertThat(outcome).isEqualTo(new ClaimOutcome.Taken(held));
  }

  @Test
  void other_user_cannot_take_a_nick_reserved_in_grace_until_it_expires() {
    NickLease grace = annInGrace();

    ClaimOutcome outcome = NickLeasePolicy.claim(grace, KEY, NICK, BOB, grace.expiresAt() - 1, TTL);

    assertThat(outcome).isEqualTo(new ClaimOutcome.Taken(grace));
  }

  @Test
  void other_user_gets_the_nick_once_the_grace_period_ends_with_a_larger_token() {
    NickLease grace = annInGrace();

    for (long now : new long[] {grace.expiresAt(), grace.expiresAt() + 1, grace.expiresAt() + 3_600_000}) {
      ClaimOutcome.Granted outcome = granted(NickLeasePolicy.claim(grace, KEY, NICK, BOB, now, TTL));

      assertThat(outcome.lease().holder()).as("at %d", now).isEqualTo(BOB);
      assertThat(outcome.displacedSession()).as("at %d", now).isNull();
      assertThat(outcome.lease().fencingToken()).as("at %d", now).isGreaterThan(grace.fencingToken());
    }
  }

  @Test
  void other_user_gets_a_held_nick_whose_holder_stopped_renewing() {
    NickLease held = heldByAnn();

    ClaimOutcome.Granted outcome = granted(
        NickLeasePolicy.claim(held, KEY, NICK, BOB, held.expiresAt(), TTL));

    assertThat(outcome.lease().holder()).isEqualTo(BOB);
    assertThat(outcome.displacedSession()).isNull();
    assertThat(outcome.lease().fencingToken()).isGreaterThan(held.fencingToken());
  }

  @Test
  void same_user_reclaims_its_nick_during_grace_without_displacing_anyone() {
    NickLease grace = annInGrace();

    ClaimOutcome.Granted outcome = granted(
        NickLeasePolicy.claim(grace, KEY, NICK, ANN_TAB2, grace.expiresAt() - 1, TTL));

    assertThat(outcome.displacedSession()).isNull();
    assertThat(outcome.lease().holder()).isEqualTo(ANN_TAB2);
    assertThat(outcome.lease().state()).isEqualTo(NickLeaseState.HELD);
    assertThat(outcome.lease().fencingToken()).isGreaterThan(grace.fencingToken());
  }

  @Test
  void same_user_reclaims_its_nick_from_another_of_its_sessions_and_displaces_the_old_session() {
    NickLease held = heldByAnn();

    ClaimOutcome.Granted outcome = granted(
        NickLeasePolicy.claim(held, KEY, NICK, ANN_TAB2, T0 + 5_000, TTL));

    assertThat(outcome.displacedSession()).isEqualTo(ANN_TAB1.session());
    assertThat(outcome.lease().holder()).isEqualTo(ANN_TAB2);
    assertThat(outcome.lease().expiresAt()).isEqualTo(T0 + 5_000 + TTL);
    assertThat(outcome.lease().fencingToken()).isGreaterThan(held.fencingToken());
    assertThat(outcome.lease().isHeldBy(ANN_TAB1.session(), T0 + 5_000)).isFalse();
  }

  @Test
  void a_grace_reservation_is_released_only_by_the_session_that_left_it() {
    NickLease grace = NickLeasePolicy.enterGrace(heldByAnn(), ANN_TAB1.session(), T0 + 1_000, GRACE);

    assertThat(NickLeasePolicy.release(grace, ANN_TAB2.session(), T0 + 2_000, TOMBSTONE))
        .as("another session of the same user").isNull();
    assertThat(NickLeasePolicy.release(grace, BOB.session(), T0 + 2_000, TOMBSTONE)).isNull();
    NickLease tombstone = NickLeasePolicy.release(grace, ANN_TAB1.session(), T0 + 2_000, TOMBSTONE);
    assertThat(tombstone.state()).isEqualTo(NickLeaseState.RELEASED);
    assertThat(tombstone.isFree(T0 + 2_000)).isTrue();
  }

  @Test
  void release_by_the_holder_leaves_a_tombstone_that_keeps_the_token_and_frees_the_nick_for_anyone() {
    NickLease held = heldByAnn();
    long now = T0 + 2_000;

    NickLease tombstone = NickLeasePolicy.release(held, ANN_TAB1.session(), now, TOMBSTONE);

    assertThat(tombstone.state()).isEqualTo(NickLeaseState.RELEASED);
    assertThat(tombstone.fencingToken()).isEqualTo(held.fencingToken());
    assertThat(tombstone.expiresAt()).isEqualTo(now + TOMBSTONE);
    assertThat(tombstone.isFree(now)).isTrue();

    ClaimOutcome.Granted bob = granted(NickLeasePolicy.claim(tombstone, KEY, NICK, BOB, now, TTL));
    assertThat(bob.lease().holder()).isEqualTo(BOB);
    assertThat(bob.displacedSession()).isNull();
    assertThat(bob.lease().fencingToken()).isGreaterThan(held.fencingToken());
  }

  @Test
  void fencing_token_grows_across_release_and_reclaim_within_the_same_millisecond() {
    NickLease held = heldByAnn();
    NickLease tombstone = NickLeasePolicy.release(held, ANN_TAB1.session(), T0, TOMBSTONE);

    NickLease reclaimed = claim(tombstone, BOB, T0);

    assertThat(reclaimed.fencingToken()).isGreaterThan(held.fencingToken());
  }

  @Test
  void release_by_a_session_that_does_not_hold_the_nick_changes_nothing() {
    NickLease held = heldByAnn();

    assertThat(NickLeasePolicy.release(held, BOB.session(), T0 + 1, TOMBSTONE)).isNull();
    assertThat(NickLeasePolicy.release(held, ANN_TAB2.session(), T0 + 1, TOMBSTONE)).isNull();
    assertThat(NickLeasePolicy.release(null, ANN_TAB1.session(), T0 + 1, TOMBSTONE)).isNull();
  }

  @Test
  void displaced_session_can_no_longer_release_the_nick_of_its_successor() {
    NickLease takenOver = claim(heldByAnn(), ANN_TAB2, T0 + 1_000);

    assertThat(NickLeasePolicy.release(takenOver, ANN_TAB1.session(), T0 + 2_000, TOMBSTONE)).isNull();
    assertThat(NickLeasePolicy.enterGrace(takenOver, ANN_TAB1.session(), T0 + 2_000, GRACE)).isNull();
  }

  @Test
  void abnormal_close_of_the_holder_reserves_the_nick_for_the_grace_period() {
    NickLease held = heldByAnn();
    long now = T0 + 7_000;

    NickLease grace = NickLeasePolicy.enterGrace(held, ANN_TAB1.session(), now, GRACE);

    assertThat(grace.state()).isEqualTo(NickLeaseState.GRACE);
    assertThat(grace.expiresAt()).isEqualTo(now + GRACE);
    assertThat(grace.fencingToken()).isEqualTo(held.fencingToken());
    assertThat(grace.holder()).isEqualTo(ANN_TAB1);
    assertThat(grace.isFree(now + GRACE - 1)).isFalse();
  }

  @Test
  void zero_grace_frees_the_nick_at_once() {
    NickLease released = NickLeasePolicy.enterGrace(heldByAnn(), ANN_TAB1.session(), T0 + 7_000, 0);

    assertThat(released.state()).isEqualTo(NickLeaseState.RELEASED);
    assertThat(NickLeasePolicy.claim(released, KEY, NICK, BOB, T0 + 7_000, TTL))
        .isInstanceOf(ClaimOutcome.Granted.class);
  }

  @Test
  void grace_is_not_entered_by_a_non_holder_nor_on_a_lease_gone_or_claimed_by_another_after_it_ran_out() {
    NickLease held = heldByAnn();

    assertThat(NickLeasePolicy.enterGrace(held, BOB.session(), T0 + 1, GRACE)).isNull();
    assertThat(NickLeasePolicy.enterGrace(null, ANN_TAB1.session(), T0 + 1, GRACE)).isNull();
    NickLease claimedByBob = claim(held, BOB, held.expiresAt() + 1);
    assertThat(claimedByBob.holder()).isEqualTo(BOB);
    assertThat(NickLeasePolicy.enterGrace(claimedByBob, ANN_TAB1.session(), held.expiresAt() + 2, GRACE)).isNull();
  }

  @Test
  void an_end_that_comes_after_the_lease_ran_out_still_reserves_the_nickname_nobody_took() {
    NickLease held = heldByAnn();
    long lateEnd = held.expiresAt() + 500; // a sweep that found the stale session just as its lease ran out

    NickLease grace = NickLeasePolicy.enterGrace(held, ANN_TAB1.session(), lateEnd, GRACE);

    assertThat(grace.state()).isEqualTo(NickLeaseState.GRACE);
    assertThat(grace.expiresAt()).isEqualTo(lateEnd + GRACE);
    assertThat(grace.fencingToken()).isEqualTo(held.fencingToken());
    assertThat(grace.isInGraceFor(ANN_TAB1.session(), lateEnd + 1)).isTrue();
  }

  @Test
  void grace_is_not_restarted_by_a_second_abnormal_close() {
    NickLease grace = annInGrace();

    assertThat(NickLeasePolicy.enterGrace(grace, ANN_TAB1.session(), grace.expiresAt() - 1, GRACE)).isNull();
  }

  @Test
  void holders_node_renews_the_lease_with_the_same_token() {
    NickLease held = heldByAnn();
    long now = T0 + TTL - 1;

    NickLease renewed = NickLeasePolicy.renew(held, ANN_TAB1.node(), now, TTL);

    assertThat(renewed.expiresAt()).isEqualTo(now + TTL);
    assertThat(renewed.fencingToken()).isEqualTo(held.fencingToken());
    assertThat(renewed.holder()).isEqualTo(ANN_TAB1);
    assertThat(renewed.state()).isEqualTo(NickLeaseState.HELD);
  }

  @Test
  void renewal_is_refused_to_another_node_in_grace_and_after_expiry() {
    NickLease held = heldByAnn();

    assertThat(NickLeasePolicy.renew(held, "node-b", T0 + 1, TTL)).isNull();
    assertThat(NickLeasePolicy.renew(annInGrace(), ANN_TAB1.node(), T0 + 2_000, TTL)).isNull();
    assertThat(NickLeasePolicy.renew(held, ANN_TAB1.node(), held.expiresAt(), TTL)).isNull();
    assertThat(NickLeasePolicy.renew(held, ANN_TAB1.node(), held.expiresAt() + 1, TTL)).isNull();
    assertThat(NickLeasePolicy.renew(null, ANN_TAB1.node(), T0, TTL)).isNull();
  }

  @Test
  void renewal_of_a_released_tombstone_is_refused() {
    NickLease tombstone = NickLeasePolicy.release(heldByAnn(), ANN_TAB1.session(), T0 + 1, TOMBSTONE);

    assertThat(NickLeasePolicy.renew(tombstone, ANN_TAB1.node(), T0 + 2, TTL)).isNull();
  }

  @Test
  void tokens_strictly_increase_through_claim_grace_reclaim_release_and_claim_by_another_user() {
    NickLease annFirst = claim(null, ANN_TAB1, T0);
    NickLease grace = NickLeasePolicy.enterGrace(annFirst, ANN_TAB1.session(), T0, GRACE);
    NickLease annBack = claim(grace, ANN_TAB2, T0);
    NickLease tombstone = NickLeasePolicy.release(annBack, ANN_TAB2.session(), T0, TOMBSTONE);
    NickLease bob = claim(tombstone, BOB, T0);

    assertThat(grace.fencingToken()).isEqualTo(annFirst.fencingToken());
    assertThat(tombstone.fencingToken()).isEqualTo(annBack.fencingToken());
    assertThat(new long[] {annFirst.fencingToken(), annBack.fencingToken(), bob.fencingToken()})
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(bob.holder()).isEqualTo(BOB);
  }

  @Test
  void nick_whose_tombstone_vanished_long_ago_still_gets_a_larger_token() {
    NickLease first = claim(null, ANN_TAB1, T0);
    // The store dropped the tombstone (TTL); an hour later the entry is simply absent.
    NickLease later = claim(null, BOB, T0 + 3_600_000);

    assertThat(later.fencingToken()).isGreaterThan(first.fencingToken());
  }

  @Test
  void reclaim_after_a_healed_split_takes_back_the_sessions_own_grace_with_a_higher_token() {
    NickLease grace = annInGrace();

    ClaimOutcome.Granted back = granted(NickLeasePolicy.reclaim(grace, KEY, NICK, ANN_TAB1, T0 + 2_000, TTL));

    assertThat(back.displacedSession()).isNull();
    assertThat(back.lease().state()).isEqualTo(NickLeaseState.HELD);
    assertThat(back.lease().fencingToken()).isGreaterThan(grace.fencingToken());
  }

  @Test
  void reclaim_by_the_holding_session_renews_with_the_same_token() {
    NickLease held = heldByAnn();

    NickLease again = granted(NickLeasePolicy.reclaim(held, KEY, NICK, ANN_TAB1, T0 + 1_000, TTL)).lease();

    assertThat(again.fencingToken()).isEqualTo(held.fencingToken());
    assertThat(again.expiresAt()).isEqualTo(T0 + 1_000 + TTL);
  }

  @Test
  void reclaim_never_displaces_a_newer_session_of_the_same_user_nor_takes_anothers_grace() {
    NickLease takenOverByTab2 = claim(annInGrace(), ANN_TAB2, T0 + 2_000);

    assertThat(NickLeasePolicy.reclaim(takenOverByTab2, KEY, NICK, ANN_TAB1, T0 + 3_000, TTL))
        .isInstanceOf(ClaimOutcome.Taken.class);
    assertThat(NickLeasePolicy.reclaim(annInGrace(), KEY, NICK, ANN_TAB2, T0 + 3_000, TTL))
        .as("another session's grace, even of the same user").isInstanceOf(ClaimOutcome.Taken.class);
    assertThat(NickLeasePolicy.reclaim(heldByAnn(), KEY, NICK, BOB, T0 + 3_000, TTL))
        .isInstanceOf(ClaimOutcome.Taken.class);
  }

  @Test
  void reclaim_of_a_nickname_freed_meanwhile_is_granted_fresh() {
    NickLease released = NickLeasePolicy.release(heldByAnn(), ANN_TAB1.session(), T0 + 1_000, TOMBSTONE);

    NickLease back = granted(NickLeasePolicy.reclaim(released, KEY, NICK, BOB, T0 + 2_000, TTL)).lease();

    assertThat(back.holder()).isEqualTo(BOB);
    assertThat(back.fencingToken()).isGreaterThan(released.fencingToken());
  }

  // ---- the grace-lease cap: claim + reset cycles --------------------------------------------------------------

  /** Ann's session {@code cycle} claimed nickname {@code key}, then reset its connection at {@code endedAt}. */
  private static NickLease annReservation(String key, int cycle, long endedAt) {
    NickHolder session = new NickHolder("s-ann-cycle-" + cycle, "ann", "node-a");
    NickLease held = granted(NickLeasePolicy.claim(null, key, key, session, endedAt - 500, TTL)).lease();
    return NickLeasePolicy.enterGrace(held, session.session(), endedAt, GRACE);
  }

  @Test
  void a_user_within_the_cap_keeps_every_reservation() {
    List<NickLease> three = List.of(annReservation("n1", 1, T0), annReservation("n2", 2, T0 + 1_000),
        annReservation("n3", 3, T0 + 2_000));

    assertThat(NickLeasePolicy.graceOverCap(three, "ann", 3, T0 + 2_000)).isEmpty();
  }

  @Test
  void five_claim_and_reset_cycles_leave_the_newest_three_reserved_and_free_the_two_oldest_oldest_first() {
    NickLease n1 = annReservation("n1", 1, T0);
    NickLease n2 = annReservation("n2", 2, T0 + 1_000);
    NickLease n3 = annReservation("n3", 3, T0 + 2_000);
    NickLease n4 = annReservation("n4", 4, T0 + 3_000);
    NickLease n5 = annReservation("n5", 5, T0 + 4_000);

    // The store answers in no particular order.
    assertThat(NickLeasePolicy.graceOverCap(List.of(n4, n1, n5, n3, n2), "ann", 3, T0 + 4_000))
        .containsExactly(n1, n2);
  }

  @Test
  void only_live_reservations_of_that_user_count_not_held_released_expired_or_other_users_leases() {
    NickLease n1 = annReservation("n1", 1, T0);
    NickLease n2 = annReservation("n2", 2, T0 + 1_000);
    NickLease expired = annReservation("old", 0, T0 - GRACE - 1);
    NickLease held = granted(NickLeasePolicy.claim(null, "live", "live", ANN_TAB2, T0, TTL)).lease();
    NickLease released = NickLeasePolicy.release(annReservation("gone", 6, T0 + 500), "s-ann-cycle-6", T0 + 600,
        TOMBSTONE);
    NickHolder bob = new NickHolder("s-bob-1", "bob", "node-a");
    NickLease bobs = NickLeasePolicy.enterGrace(
        granted(NickLeasePolicy.claim(null, "bobs", "bobs", bob, T0, TTL)).lease(), bob.session(), T0, GRACE);

    assertThat(NickLeasePolicy.graceOverCap(List.of(n1, n2, expired, held, released, bobs), "ann", 1, T0 + 1_000))
        .containsExactly(n1);
  }

  @Test
  void reservations_ending_at_the_same_ms_are_ordered_by_token_so_every_node_frees_the_same_one() {
    NickLease first = annReservation("b", 1, T0);
    NickLease second = new NickLease("a", "a", first.holder(), first.fencingToken() + 1, first.expiresAt(),
        NickLeaseState.GRACE);

    assertThat(NickLeasePolicy.graceOverCap(List.of(second, first), "ann", 1, T0)).containsExactly(first);
  }
}
