package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The room view's sorted-array map: it must answer exactly as the {@code TreeMap} it replaced. */
class RoomFeedMembersTest {

  static RoomMember member(String session, String user) {
    return new RoomMember(new PresenceEntry(session, user, null, null, "n1", 1, 0, 0), null, null);
  }

  @Test
  void sessions_come_out_in_session_id_order_whatever_order_they_joined_in() {
    RoomFeedMembers view = new RoomFeedMembers();
    for (String s : List.of("s3", "s10", "s1", "S2", "s2")) {
      assertThat(view.put(s, member(s, "u"))).isNull();
    }

    assertThat(view.ids()).containsExactly("S2", "s1", "s10", "s2", "s3");
    assertThat(view.members()).extracting(RoomMember::session).containsExactly("S2", "s1", "s10", "s2", "s3");
    assertThat(view.size()).isEqualTo(5);
    assertThat(view.containsKey("s10")).isTrue();
    assertThat(view.containsKey("s4")).isFalse();
    assertThat(view.get("s4")).isNull();
  }

  @Test
  void a_put_of_a_session_already_there_replaces_its_member_and_returns_the_old_one() {
    RoomFeedMembers view = new RoomFeedMembers();
    RoomMember first = member("s1", "alice");
    RoomMember second = new RoomMember(first.entry(), "Al", null);
    view.put("s1", first);

    assertThat(view.put("s1", second)).isSameAs(first);
    assertThat(view.get("s1")).isSameAs(second);
    assertThat(view.size()).isEqualTo(1);
  }

  @Test
  void a_room_that_empties_gives_back_its_arrays_and_can_fill_again() {
    RoomFeedMembers view = new RoomFeedMembers();
    for (int i = 0; i < 5_000; i++) {
      view.put("s" + i, member("s" + i, "u" + i));
    }
    for (int i = 0; i < 5_000; i++) {
      assertThat(view.remove("s" + i)).isNotNull();
    }
    assertThat(view.size()).isZero();
    assertThat(view.capacity()).as("arrays dropped").isZero();
    assertThat(view.ids()).isEmpty();
    assertThat(view.remove("s1")).as("absent").isNull();

    view.put("s7", member("s7", "u7"));
    assertThat(view.ids()).containsExactly("s7");
  }

  @Test
  void a_view_handed_out_fails_after_a_join_or_leave_instead_of_reading_shifted_slots() {
    RoomFeedMembers view = new RoomFeedMembers();
    view.put("s1", member("s1", "a"));
    view.put("s2", member("s2", "b"));
    List<String> ids = view.ids();
    List<String> copy = List.copyOf(view.ids());

    view.remove("s1");

    assertThatThrownBy(() -> ids.forEach(s -> { })).isInstanceOf(ConcurrentModificationException.class);
    assertThat(copy).containsExactly("s1", "s2");
    assertThatThrownBy(() -> view.ids().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void a_null_session_is_refused_as_a_tree_map_refuses_it() {
    RoomFeedMembers view = new RoomFeedMembers();
    assertThatThrownBy(() -> view.put(null, member("s", "u"))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> view.get(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void thousands_of_random_joins_replaces_and_leaves_answer_as_a_tree_map_does() {
    Random random = new Random(13);
    RoomFeedMembers view = new RoomFeedMembers();
    TreeMap<String, RoomMember> expected = new TreeMap<>();
    for (int op = 0; op < 20_000; op++) {
      // Ids over a small space so that puts replace and removes hit; mixed case and lengths test compareTo's order.
      String session = (random.nextBoolean() ? "s" : "S") + random.nextInt(300);
      // Joins outweigh leaves for the first half, then leaves do: the view grows, then shrinks back to empty.
      boolean growing = op < 10_000;
      int dice = random.nextInt(10);
      if (dice < (growing ? 6 : 2)) {
        RoomMember m = member(session, "u" + random.nextInt(50));
        assertThat(view.put(session, m)).isSameAs(expected.put(session, m));
      } else if (dice < 9) {
        assertThat(view.remove(session)).isSameAs(expected.remove(session));
      } else {
        assertThat(view.get(session)).isSameAs(expected.get(session));
        assertThat(view.containsKey(session)).isEqualTo(expected.containsKey(session));
      }
      assertThat(view.size()).isEqualTo(expected.size());
      assertThat(view.capacity()).as("at most 4x the members, and never below them")
          .isBetween(view.size(), Math.max(4, 4 * view.size()));
      if (op % 97 == 0) {
        assertSameOrder(view, expected);
      }
    }
    new ArrayList<>(expected.keySet()).forEach(s -> assertThat(view.remove(s)).isSameAs(expected.remove(s)));
    assertThat(view.size()).isZero();
    assertThat(view.capacity()).isZero();
    assertSameOrder(view, expected);
  }

  private static void assertSameOrder(RoomFeedMembers view, Map<String, RoomMember> expected) {
    assertThat(view.ids()).containsExactlyElementsOf(expected.keySet());
    assertThat(view.members()).containsExactlyElementsOf(expected.values());
    assertThat(List.copyOf(view.ids())).containsExactlyElementsOf(expected.keySet());
    assertThat(new ArrayList<>(view.members())).containsExactlyElementsOf(expected.values());
  }
}
