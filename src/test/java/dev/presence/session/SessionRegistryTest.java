package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Guards the node-local session registry: idempotent removal, an honest node gauge, safe snapshots. */
class SessionRegistryTest {

  private final AtomicInteger nodeGauge = new AtomicInteger();
  private final SessionRegistry<String> registry = new SessionRegistry<>(nodeGauge);

  @Test
  void added_session_is_found_and_counted() {
    registry.add("s1", "conn-1");

    assertThat(registry.get("s1")).isEqualTo("conn-1");
    assertThat(registry.size()).isEqualTo(1);
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void removed_session_is_gone_and_a_second_removal_is_a_no_op() {
    registry.add("s1", "conn-1");

    assertThat(registry.remove("s1")).isTrue();
    assertThat(registry.remove("s1")).isFalse();

    assertThat(registry.get("s1")).isNull();
    assertThat(registry.size()).isZero();
    assertThat(nodeGauge).hasValue(0);
  }

  @Test
  void removing_an_unknown_session_changes_nothing() {
    registry.add("s1", "conn-1");

    assertThat(registry.remove("never-added")).isFalse();

    assertThat(registry.size()).isEqualTo(1);
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void adding_the_same_session_twice_counts_it_once() {
    registry.add("s1", "conn-1");
    registry.add("s1", "conn-1");

    assertThat(registry.size()).isEqualTo(1);
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void node_gauge_counts_the_sessions_of_every_registry_and_never_goes_negative() {
    SessionRegistry<String> otherLoop = new SessionRegistry<>(nodeGauge);
    registry.add("s1", "conn-1");
    registry.add("s2", "conn-2");
    otherLoop.add("s3", "conn-3");
    assertThat(nodeGauge).hasValue(3);

    // Several close paths (close frame, RST, eviction) may each try to remove the same session.
    registry.remove("s1");
    registry.remove("s1");
    otherLoop.remove("s3");
    otherLoop.remove("s3");
    otherLoop.remove("s1");
    assertThat(nodeGauge).hasValue(1);

    registry.remove("s2");
    registry.remove("s2");
    assertThat(nodeGauge).hasValue(0);
    assertThat(registry.size() + otherLoop.size()).isZero();
  }

  @Test
  void closing_every_session_while_iterating_over_a_snapshot_is_safe() {
    for (int i = 0; i < 100; i++) {
      registry.add("s" + i, "s" + i);
    }

    List<String> snapshot = registry.snapshot();
    for (String connection : snapshot) {
      registry.remove(connection); // what a connection does from its close handler
    }

    assertThat(snapshot).hasSize(100);
    assertThat(registry.size()).isZero();
    assertThat(nodeGauge).hasValue(0);
  }

  @Test
  void snapshot_does_not_follow_later_changes() {
    registry.add("s1", "conn-1");
    List<String> snapshot = registry.snapshot();

    registry.add("s2", "conn-2");
    registry.remove("s1");

    assertThat(snapshot).containsExactly("conn-1");
  }
}
