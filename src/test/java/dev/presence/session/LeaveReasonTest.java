package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Guards close reasons: wire names survive a round trip; unknown names read as an eviction. */
class LeaveReasonTest {

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

}
