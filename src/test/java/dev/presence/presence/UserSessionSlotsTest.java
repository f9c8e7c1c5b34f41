package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure slot rules, with time as a parameter: a lease is crossed by passing {@code t + ttl}. */
class UserSessionSlotsTest {

  private static final long T = 1_000_000;
  private static final long TTL = 30_000;

  @Test
  void a_dead_nodes_slots_stop_counting_when_their_lease_ends_and_make_room() {
    UserSessionSlots full = UserSessionSlots.admit(null, "s-1", "node-dead", 2, T, TTL).next();
    full = UserSessionSlots.admit(full, "s-2", "node-a", 2, T + 10, TTL).next();
    assertThat(UserSessionSlots.admit(full, "s-3", "node-a", 2, T + TTL - 1, TTL).outcome())
        .isEqualTo(new SlotAdmission.Refused(2));

    UserSessionSlots.Admission later = UserSessionSlots.admit(full, "s-3", "node-a", 2, T + TTL, TTL);

    assertThat(later.outcome()).isEqualTo(new SlotAdmission.Admitted(2));
    assertThat(later.next().slots()).containsOnlyKeys("s-2", "s-3");
  }

  @Test
  void renewal_restarts_only_the_renewing_nodes_slots_and_release_of_the_last_slot_leaves_nothing() {
    UserSessionSlots slots = new UserSessionSlots(Map.of("s-a", new SessionSlot("node-a", T + 5),
        "s-b", new SessionSlot("node-b", T + 5)));

    UserSessionSlots renewed = UserSessionSlots.renew(slots, "node-a", T, TTL);

    assertThat(renewed.slots()).containsEntry("s-a", new SessionSlot("node-a", T + TTL))
        .containsEntry("s-b", new SessionSlot("node-b", T + 5));
    assertThat(renewed.latestExpiry()).isEqualTo(T + TTL);
    assertThat(UserSessionSlots.release(renewed, "s-a", T + 10).isEmpty()).as("s-b expired meanwhile").isTrue();
  }
}
