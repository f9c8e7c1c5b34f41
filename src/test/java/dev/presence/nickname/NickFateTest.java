package dev.presence.nickname;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.session.LeaveReason;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The nickname's fate when its session ends: decided once, from the end reason and whether it was held. */
class NickFateTest {

  @Test
  void a_goodbye_or_a_kick_frees_the_nickname_at_once_even_for_a_held_session() {
    for (boolean held : new boolean[] {false, true}) {
      assertThat(NickLeasePolicy.fateOnEnd(LeaveReason.BYE, held)).isEqualTo(NickFate.FREE);
      assertThat(NickLeasePolicy.fateOnEnd(LeaveReason.KICKED, held)).isEqualTo(NickFate.FREE);
    }
  }

  @Test
  void every_end_the_client_did_not_choose_reserves_the_nickname_for_the_grace_period() {
    for (LeaveReason reason : EnumSet.complementOf(EnumSet.of(LeaveReason.BYE, LeaveReason.KICKED,
        LeaveReason.TAKEOVER))) {
      assertThat(NickLeasePolicy.fateOnEnd(reason, false)).as("%s", reason).isEqualTo(NickFate.GRACE);
    }
  }

  @Test
  void a_takeover_leaves_the_nickname_with_the_newer_session() {
    assertThat(NickLeasePolicy.fateOnEnd(LeaveReason.TAKEOVER, false)).isEqualTo(NickFate.KEEP);
  }

  @Test
  void the_end_of_a_hold_keeps_the_grace_that_began_with_the_hold() {
    for (LeaveReason reason : EnumSet.of(LeaveReason.RESET, LeaveReason.CLOSED, LeaveReason.HEARTBEAT_TIMEOUT,
        LeaveReason.SEND_FAILED, LeaveReason.SHUTDOWN, LeaveReason.EXPIRED)) {
      assertThat(NickLeasePolicy.fateOnHold(reason)).isEqualTo(NickFate.GRACE);
      assertThat(NickLeasePolicy.fateOnEnd(reason, true)).as("%s", reason).isEqualTo(NickFate.KEEP);
    }
  }

  @Test
  void an_unknown_reason_from_another_node_version_never_frees_a_nickname_at_once() {
    assertThat(NickLeasePolicy.fateOnEnd(LeaveReason.fromWire("teleported"), false)).isEqualTo(NickFate.GRACE);
  }
}
