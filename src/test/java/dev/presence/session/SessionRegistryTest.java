package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Guards the node-local session registry: compare-and-set registration and removal, an honest node gauge, safe snapshots. */
class SessionRegistryTest {

  private final AtomicInteger nodeGauge = new AtomicInteger();
  private final SessionRegistry<String> registry = new SessionRegistry<>(nodeGauge);

  @Test
  void added_session_is_found_and_counted() {
    registry.register("s1", "conn-1");

    assertThat(registry.get("s1")).isEqualTo("conn-1");
    assertThat(registry.size()).isEqualTo(1);
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void removed_session_is_gone_and_a_second_removal_is_a_no_op() {
    registry.register("s1", "conn-1");

    assertThat(registry.remove("s1", "conn-1")).isTrue();
    assertThat(registry.remove("s1", "conn-1")).isFalse();

    assertThat(registry.get("s1")).isNull();
    assertThat(registry.size()).isZero();
    assertThat(nodeGauge).hasValue(0);
  }

  @Test
  void removing_an_unknown_session_changes_nothing() {
    registry.register("s1", "conn-1");

    assertThat(registry.remove("never-added", "conn-x")).isFalse();

    assertThat(registry.size()).isEqualTo(1);
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void a_second_connection_never_overwrites_the_one_registered_under_an_id() {
    registry.register("s1", "old-connection");

    assertThat(registry.register("s1", "new-connection")).isFalse();

    assertThat(registry.get("s1")).isEqualTo("old-connection");
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void a_connection_removes_only_itself_never_another_registered_under_its_id() {
    registry.register("s1", "old-connection");

    assertThat(registry.remove("s1", "new-connection")).isFalse();

    assertThat(registry.get("s1")).isEqualTo("old-connection");
    assertThat(nodeGauge).hasValue(1);
    assertThat(registry.remove("s1", "old-connection")).isTrue();
    assertThat(nodeGauge).hasValue(0);
  }

  @Test
  void adding_the_same_session_twice_counts_it_once() {
    registry.register("s1", "conn-1");
    registry.register("s1", "conn-1");

    assertThat(registry.size()).isEqualTo(1);
    assertThat(nodeGauge).hasValue(1);
  }

  @Test
  void node_gauge_counts_the_sessions_of_every_registry_and_never_goes_negative() {
    SessionRegistry<String> otherLoop = new SessionRegistry<>(nodeGauge);
    registry.register("s1", "conn-1");
    registry.register("s2", "conn-2");
    otherLoop.register("s3", "conn-3");
    assertThat(nodeGauge).hasValue(3);

    // Several close paths (close frame, RST, eviction) may each try to remove the same session.
    registry.remove("s1", "conn-1");
    registry.remove("s1", "conn-1");
    otherLoop.remove("s3", "conn-3");
    otherLoop.remove("s3", "conn-3");
    otherLoop.remove("s1", "conn-1");
    assertThat(nodeGauge).hasValue(1);

    registry.remove("s2", "conn-2");
    registry.remove("s2", "conn-2");
    assertThat(nodeGauge).hasValue(0);
    assertThat(registry.size() + otherLoop.size()).isZero();
  }

  @Test
  void closing_every_session_while_iterating_over_a_snapshot_is_safe() {
    for (int i = 0; i < 100; i++) {
      registry.register("s" + i, "s" + i);
    }

    List<String> snapshot = registry.snapshot();
    for (String connection : snapshot) {
      registry.remove(connection, connection); // what a connection does from its close handler
    }

    assertThat(snapshot).hasSize(100);
    assertThat(registry.size()).isZero();
    assertThat(nodeGauge).hasValue(0);
  }

  @Test
  void snapshot_does_not_follow_later_changes() {
    registry.register("s1", "conn-1");
    List<String> snapshot = registry.snapshot();

    registry.register("s2", "conn-2");
    registry.remove("s1", "conn-1");

    assertThat(snapshot).containsExactly("conn-1");
  }
}
