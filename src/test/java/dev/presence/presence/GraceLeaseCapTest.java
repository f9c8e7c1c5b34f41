package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeaseState;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameRules;
import dev.presence.session.LeaveReason;
import dev.presence.testing.InMemoryNicknameLeaseStore;
import dev.presence.testing.InMemoryStores;
import dev.presence.testing.RecordingPresenceChannel;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stories of the per-user cap on nicknames in grace ({@code PRESENCE_MAX_GRACE_LEASES_PER_USER}), through the one
 * end path ({@link SessionEnd}, {@link SessionHolds}) on the in-memory stores: claim + reset cycles reserve at most
 * the cap, the oldest reservations are freed first, and only reservations count.
 */
class GraceLeaseCapTest {

  private static final int CAP = 3;
  private static final long GRACE_MS = 60_000;

  private final Vertx vertx = Vertx.vertx();
  private final InMemoryStores stores = InMemoryStores.on(vertx, 60_000);
  private final InMemoryNicknameLeaseStore leases = stores.nicknames();
  private final PresenceService service = new PresenceService(stores.ports(), 10, new RecordingPresenceChannel(),
      InstantSource.system(), "node-a", 30_000, GRACE_MS, CAP, 600_000, PresenceMetrics.NONE, 10_000, 100);

  @AfterEach
  void close() {
    stores.close();
    vertx.close().await();
  }

  @Test
  void five_claim_and_reset_cycles_of_one_user_leave_the_newest_three_reserved_and_the_two_oldest_free() {
    for (int cycle = 1; cycle <= 5; cycle++) {
      claimThenEnd("s" + cycle, "mallory", "Cycle" + letter(cycle), LeaveReason.RESET);
    }

    assertThat(lease("CycleA")).isEmpty();
    assertThat(lease("CycleB")).isEmpty();
    for (String nick : new String[] {"CycleC", "CycleD", "CycleE"}) {
      assertThat(lease(nick)).as(nick).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(NickLeaseState.GRACE));
    }
  }

  @Test
  void a_session_held_for_resume_counts_like_any_other_reservation() {
    for (int cycle = 1; cycle <= 3; cycle++) {
      claimThenEnd("s" + cycle, "mallory", "Cycle" + letter(cycle), LeaveReason.RESET);
    }
    join("held", "mallory", "Held");

    call(vertx, () -> service.holds().hold("held", LeaveReason.RESET, GRACE_MS));

    assertThat(lease("CycleA")).isEmpty();
    assertThat(lease("Held")).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(NickLeaseState.GRACE));
  }

  @Test
  void only_reservations_count_not_held_nicknames_nor_ones_left_with_bye_nor_other_users_reservations() {
    join("live", "mallory", "Live"); // held by a live session of the same user
    claimThenEnd("quit", "mallory", "Quit", LeaveReason.BYE); // freed at once
    claimThenEnd("bob", "bob", "Bobby", LeaveReason.RESET); // another user's reservation
    for (int cycle = 1; cycle <= 3; cycle++) {
      claimThenEnd("s" + cycle, "mallory", "Cycle" + letter(cycle), LeaveReason.RESET);
    }

    assertThat(lease("CycleA")).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(NickLeaseState.GRACE));
    assertThat(lease("Live")).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(NickLeaseState.HELD));
    assertThat(lease("Bobby")).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(NickLeaseState.GRACE));
  }

  @Test
  void a_reservation_the_user_took_back_is_not_freed_and_does_not_count() {
    for (int cycle = 1; cycle <= 3; cycle++) {
      claimThenEnd("s" + cycle, "mallory", "Cycle" + letter(cycle), LeaveReason.RESET);
    }
    join("back", "mallory", "CycleA"); // the owner comes back for its oldest reservation

    claimThenEnd("s4", "mallory", "CycleD", LeaveReason.RESET);

    assertThat(lease("CycleA")).hasValueSatisfying(l -> {
      assertThat(l.state()).isEqualTo(NickLeaseState.HELD);
      assertThat(l.holder().session()).isEqualTo("back");
    });
    assertThat(lease("CycleB")).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(NickLeaseState.GRACE));
  }

  private static char letter(int cycle) {
    return (char) ('A' + cycle - 1);
  }

  /** A session of {@code user} joins and claims {@code nick}. */
  private void join(String session, String user, String nick) {
    call(vertx, () -> service.join(session, user));
    assertThat(call(vertx, () -> service.claimNick(session, user, nick, null)))
        .isInstanceOf(NickChange.Claimed.class);
  }

  /** One cycle of the attack: join, claim, and the connection ends for {@code reason}. */
  private void claimThenEnd(String session, String user, String nick, LeaveReason reason) {
    join(session, user, nick);
    assertThat(call(vertx, () -> service.ends().end(session, reason, System.currentTimeMillis()))).isPresent();
  }

  /** @return the lease of {@code nick} unless it is free (released or forgotten) */
  private Optional<NickLease> lease(String nick) {
    String key = ((NicknameCheck.Valid) NicknameRules.check(nick)).key();
    long now = System.currentTimeMillis();
    return call(vertx, () -> leases.get(key)).filter(l -> !l.isFree(now));
  }
}
