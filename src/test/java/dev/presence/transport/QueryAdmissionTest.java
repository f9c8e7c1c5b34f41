package dev.presence.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.presence.Availability;
import dev.presence.transport.QueryAdmission.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The query rule as stories: who and subscribe share a budget of their own; watching everyone needs a role. */
class QueryAdmissionTest {

  static final long SECOND = 1_000_000_000L;
  static final ClientMessage WHO = new ClientMessage.Who();
  static final ClientMessage SUBSCRIBE_USERS = new ClientMessage.Subscribe(Set.of("alice", "bob"));
  static final ClientMessage SUBSCRIBE_ALL = new ClientMessage.Subscribe(null);

  @Test
  void a_burst_of_who_and_subscribe_passes_then_they_are_limited_until_the_budget_refills() {
    QueryAdmission admission = new QueryAdmission(1, 3, 0);
    assertThat(admission.admit(WHO, false, 0)).isEqualTo(Verdict.ADMITTED);
    assertThat(admission.admit(SUBSCRIBE_USERS, false, 0)).isEqualTo(Verdict.ADMITTED);
    assertThat(admission.admit(WHO, false, 0)).isEqualTo(Verdict.ADMITTED);
    assertThat(admission.admit(WHO, false, 0)).as("the burst is spent").isEqualTo(Verdict.RATE_LIMITED);
    assertThat(admission.admit(SUBSCRIBE_USERS, false, SECOND / 2)).as("half a token").isEqualTo(
        Verdict.RATE_LIMITED);
    assertThat(admission.admit(SUBSCRIBE_USERS, false, SECOND)).as("one a second").isEqualTo(Verdict.ADMITTED);
  }

  @Test
  void watching_rooms_spends_the_query_budget_and_needs_no_role() {
    QueryAdmission admission = new QueryAdmission(1, 1, 0);
    ClientMessage watch = new ClientMessage.WatchRooms(Set.of("#a"));
    assertThat(admission.admit(watch, false, 0)).isEqualTo(Verdict.ADMITTED);
    assertThat(admission.admit(watch, false, 0)).isEqualTo(Verdict.RATE_LIMITED);
    assertThat(admission.admit(new ClientMessage.Unwatch("#a"), false, 0)).as("ending a watch is free")
        .isEqualTo(Verdict.ADMITTED);
  }

  @Test
  void other_requests_never_touch_the_query_budget() {
    QueryAdmission admission = new QueryAdmission(1, 1, 0);
    assertThat(admission.admit(WHO, false, 0)).isEqualTo(Verdict.ADMITTED);
    for (ClientMessage other : new ClientMessage[] {new ClientMessage.Unsubscribe(), new ClientMessage.Nick("Al"),
        new ClientMessage.Release(), new ClientMessage.Status(Availability.AWAY, null)}) {
      assertThat(admission.admit(other, false, 0)).as("%s", other).isEqualTo(Verdict.ADMITTED);
    }
  }

  @Test
  void subscribing_to_all_needs_the_role_and_a_refusal_spends_no_budget() {
    QueryAdmission admission = new QueryAdmission(1, 1, 0);
    assertThat(admission.admit(SUBSCRIBE_ALL, false, 0)).isEqualTo(Verdict.FORBIDDEN);
    assertThat(admission.admit(SUBSCRIBE_ALL, false, 0)).isEqualTo(Verdict.FORBIDDEN);
    assertThat(admission.admit(SUBSCRIBE_ALL, true, 0)).as("with the role, the one token").isEqualTo(
        Verdict.ADMITTED);
    assertThat(admission.admit(SUBSCRIBE_ALL, true, 0)).as("with the role, still budgeted").isEqualTo(
        Verdict.RATE_LIMITED);
  }
}
