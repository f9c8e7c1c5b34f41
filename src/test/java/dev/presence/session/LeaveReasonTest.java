package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Guards close reasons: only a goodbye frees the nickname at once, and wire names survive a round trip. */
class LeaveReasonTest {

  @Test
  void only_bye_and_a_kick_release_the_nick_at_once() {
    assertThat(LeaveReason.BYE.releasesNickAtOnce()).isTrue();
    assertThat(LeaveReason.KICKED.releasesNickAtOnce()).isTrue();
  }

  @Test
  void every_other_ending_keeps_the_nick_reserved_for_the_grace_period() {
    for (LeaveReason reason : EnumSet.complementOf(EnumSet.of(LeaveReason.BYE, LeaveReason.KICKED))) {
      assertThat(reason.releasesNickAtOnce()).as("%s", reason).isFalse();
    }
  }

  @Test
  void wire_names_are_unique_lower_snake_case() {
    assertThat(Arrays.stream(LeaveReason.values()).map(LeaveReason::wireName))
        .doesNotHaveDuplicates()
        .allSatisfy(name -> assertThat(name).matches("[a-z]+(_[a-z]+)*"));
  }

  @Test
  void every_reason_survives_a_trip_over_the_wire() {
    for (LeaveReason reason : LeaveReason.values()) {
      assertThat(LeaveReason.fromWire(reason.wireName())).isSameAs(reason);
    }
  }

  @Test
  void reason_from_an_unknown_node_version_is_treated_as_an_eviction() {
    assertThat(LeaveReason.fromWire("teleported")).isEqualTo(LeaveReason.EVICTED);
    assertThat(LeaveReason.fromWire("BYE")).isEqualTo(LeaveReason.EVICTED);
    assertThat(LeaveReason.fromWire("")).isEqualTo(LeaveReason.EVICTED);
    assertThat(LeaveReason.fromWire(null)).isEqualTo(LeaveReason.EVICTED);
  }

  @Test
  void an_unknown_reason_never_frees_a_nick_at_once() {
    assertThat(LeaveReason.fromWire("teleported").releasesNickAtOnce()).isFalse();
  }
}
