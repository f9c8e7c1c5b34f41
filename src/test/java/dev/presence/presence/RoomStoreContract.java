package dev.presence.presence;

import static dev.presence.testing.ContextCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomOccupancyStore;
import dev.presence.room.RoomPage;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomTally;
import dev.presence.testing.ContextCalls;
import dev.presence.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room side of the stores, run against every adapter: memberships on the presence entry ({@link
 * PresenceStore#joinRoom}, {@link PresenceStore#leaveRoom}, {@link PresenceStore#listRoom}) and the occupancy
 * counters ({@link RoomOccupancyStore}). Every call goes through {@link ContextCalls}, so each test also checks that
 * the future completed on the caller's context.
 */
@ExtendWith(VertxExtension.class)
public abstract class RoomStoreContract {

  private static final long TTL_MS = 60_000;

  protected Vertx vertx;
  protected MutableClock clock;
  protected PresenceStore store;
  protected RoomOccupancyStore rooms;

  /** @return the presence adapter under test, empty */
  protected abstract PresenceStore createStore(Vertx vertx, MutableClock clock);

  /** @return the occupancy adapter under test, empty */
  protected abstract RoomOccupancyStore createRoomStore(Vertx vertx);

  @BeforeEach
  void createStores(Vertx vertx) {
    this.vertx = vertx;
    this.clock = new MutableClock(System.currentTimeMillis());
    this.store = createStore(vertx, clock);
    this.rooms = createRoomStore(vertx);
  }

  @AfterEach
  void closeStores() throws Exception {
    for (Object port : List.of(store, rooms)) {
      if (port instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private PresenceEntry acquire(String session, String user) {
    PresenceEntry entry = PresenceEntry.joined(session, user, "node-a", clock.millis());
    call(vertx, () -> store.acquire(entry, TTL_MS));
    return entry;
  }

  private PresenceEntry get(String session) {
    return call(vertx, () -> store.get(session)).orElseThrow();
  }

  // ---- memberships on the presence entry ---------------------------------------------------------------

  @Test
  public void a_join_puts_the_membership_on_the_entry_and_a_second_join_only_replaces_its_meta() {
    acquire("s-1", "alice");
    long at = clock.millis();

    assertThat(call(vertx, () -> store.joinRoom("s-1", "#general", new RoomMembership(at, "{\"a\":1}"), 10)))
        .isEqualTo(MembershipWrite.ADDED);
    assertThat(call(vertx, () -> store.joinRoom("s-1", "#general", new RoomMembership(at + 5_000, "{\"a\":2}"), 10)))
        .isEqualTo(MembershipWrite.UPDATED);

    assertThat(get("s-1").rooms()).containsExactlyEntriesOf(Map.of("#general", new RoomMembership(at, "{\"a\":2}")));
  }

  @Test
  public void a_join_beyond_the_room_limit_changes_nothing_but_a_repeated_join_still_passes() {
    acquire("s-1", "alice");
    RoomMembership m = new RoomMembership(clock.millis(), null);
    call(vertx, () -> store.joinRoom("s-1", "a", m, 2));
    call(vertx, () -> store.joinRoom("s-1", "b", m, 2));

    assertThat(call(vertx, () -> store.joinRoom("s-1", "c", m, 2))).isEqualTo(MembershipWrite.ROOM_LIMIT);
    assertThat(call(vertx, () -> store.joinRoom("s-1", "b", m, 2))).isEqualTo(MembershipWrite.UPDATED);
    assertThat(get("s-1").rooms().keySet()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  public void a_join_of_a_session_without_an_entry_writes_nothing() {
    assertThat(call(vertx, () -> store.joinRoom("s-gone", "a", new RoomMembership(1, null), 10)))
        .isEqualTo(MembershipWrite.NO_SESSION);
    assertThat(call(vertx, () -> store.get("s-gone"))).isEmpty();
  }

  @Test
  public void a_leave_returns_the_entry_before_it_once_and_then_nothing() {
    acquire("s-1", "alice");
    call(vertx, () -> store.joinRoom("s-1", "a", new RoomMembership(clock.millis(), null), 10));

    assertThat(call(vertx, () -> store.leaveRoom("s-1", "a"))).hasValueSatisfying(e -> assertThat(e.inRoom("a"))
        .isTrue());
    assertThat(call(vertx, () -> store.leaveRoom("s-1", "a"))).isEmpty();
    assertThat(call(vertx, () -> store.leaveRoom("s-gone", "a"))).isEmpty();
    assertThat(get("s-1").rooms()).isEmpty();
  }

  @Test
  public void memberships_survive_a_renewal_and_vanish_with_the_entry() {
    acquire("s-1", "alice");
    call(vertx, () -> store.joinRoom("s-1", "a", new RoomMembership(clock.millis(), null), 10));

    assertThat(call(vertx, () -> store.renewAll(Set.of("s-1"), "node-a", clock.millis() + 1, TTL_MS))).isEmpty();
    assertThat(get("s-1").inRoom("a")).isTrue();

    PresenceEntry removed = call(vertx, () -> store.remove("s-1")).orElseThrow();
    assertThat(removed.rooms()).containsOnlyKeys("a");
    assertThat(call(vertx, () -> store.listRoom("a", null, 10)).entries()).isEmpty();
  }

  @Test
  public void a_room_lists_its_members_only_in_session_order_page_by_page() {
    for (String s : List.of("s-3", "s-1", "s-4", "s-2")) {
      acquire(s, "user-" + s);
    }
    RoomMembership m = new RoomMembership(clock.millis(), null);
    for (String s : List.of("s-1", "s-2", "s-3")) {
      call(vertx, () -> store.joinRoom(s, "#general", m, 10));
    }
    call(vertx, () -> store.joinRoom("s-4", "#other", m, 10));

    PresencePage first = call(vertx, () -> store.listRoom("#general", null, 2));
    assertThat(first.entries()).extracting(PresenceEntry::session).containsExactly("s-1", "s-2");
    assertThat(first.next()).isEqualTo("s-2");
    PresencePage second = call(vertx, () -> store.listRoom("#general", first.next(), 2));
    assertThat(second.entries()).extracting(PresenceEntry::session).containsExactly("s-3");
    assertThat(second.next()).isNull();

    call(vertx, () -> store.leaveRoom("s-2", "#general"));
    assertThat(call(vertx, () -> store.listRoom("#general", null, 10)).entries())
        .extracting(PresenceEntry::session).containsExactly("s-1", "s-3");
    assertThat(call(vertx, () -> store.listRoom("#nobody", null, 10)).entries()).isEmpty();
  }

  // ---- occupancy ----------------------------------------------------------------------------------------

  @Test
  public void the_first_place_occupies_the_room_and_only_the_first() {
    RoomAdmission first = call(vertx, () -> rooms.reserve("#r", "alice", 10));
    RoomAdmission second = call(vertx, () -> rooms.reserve("#r", "alice", 10));
    RoomAdmission third = call(vertx, () -> rooms.reserve("#r", "bob", 10));

    assertThat(first).isInstanceOfSatisfying(RoomAdmission.Admitted.class, a -> assertThat(a.occupiedNow()).isTrue());
    assertThat(second).isInstanceOfSatisfying(RoomAdmission.Admitted.class,
        a -> assertThat(a.occupiedNow()).isFalse());
    RoomOccupancy now = ((RoomAdmission.Admitted) third).occupancy();
    assertThat(now.sessions()).isEqualTo(3);
    assertThat(now.users()).isEqualTo(2);
    assertThat(call(vertx, () -> rooms.get("#r"))).contains(now);
  }

  @Test
  public void a_full_room_refuses_a_place_and_changes_nothing() {
    call(vertx, () -> rooms.reserve("#r", "alice", 2));
    call(vertx, () -> rooms.reserve("#r", "bob", 2));

    assertThat(call(vertx, () -> rooms.reserve("#r", "carol", 2))).isEqualTo(new RoomAdmission.Full(2));
    assertThat(call(vertx, () -> rooms.get("#r")).orElseThrow().sessions()).isEqualTo(2);
  }

  @Test
  public void only_the_last_release_vacates_the_room_and_removes_its_record() {
    call(vertx, () -> rooms.reserve("#r", "alice", 10));
    call(vertx, () -> rooms.reserve("#r", "bob", 10));

    RoomRelease first = call(vertx, () -> rooms.release("#r", "alice"));
    RoomRelease last = call(vertx, () -> rooms.release("#r", "bob"));
    RoomRelease extra = call(vertx, () -> rooms.release("#r", "bob"));

    assertThat(first.vacatedNow()).isFalse();
    assertThat(first.occupancy().users()).isEqualTo(1);
    assertThat(last.vacatedNow()).isTrue();
    assertThat(extra.vacatedNow()).as("nothing left to vacate").isFalse();
    assertThat(call(vertx, () -> rooms.get("#r"))).isEmpty();
  }

  @Test
  public void a_user_leaves_the_user_count_with_its_last_session_only() {
    call(vertx, () -> rooms.reserve("#r", "alice", 10));
    call(vertx, () -> rooms.reserve("#r", "alice", 10));
    call(vertx, () -> rooms.reserve("#r", "bob", 10));

    RoomOccupancy oneOfTwo = call(vertx, () -> rooms.release("#r", "alice")).occupancy();
    RoomOccupancy lastOfAlice = call(vertx, () -> rooms.release("#r", "alice")).occupancy();

    assertThat(oneOfTwo.sessions()).isEqualTo(2);
    assertThat(oneOfTwo.users()).as("alice is still there with one session").isEqualTo(2);
    assertThat(lastOfAlice.sessions()).isEqualTo(1);
    assertThat(lastOfAlice.users()).isEqualTo(1);
  }

  @Test
  public void a_place_refused_by_a_full_room_leaves_no_count_of_its_user_behind() {
    call(vertx, () -> rooms.reserve("#r", "alice", 2));
    call(vertx, () -> rooms.reserve("#r", "bob", 2));
    call(vertx, () -> rooms.reserve("#r", "carol", 2)); // full
    call(vertx, () -> rooms.release("#r", "bob"));

    RoomAdmission carol = call(vertx, () -> rooms.reserve("#r", "carol", 2));

    assertThat(carol).isInstanceOfSatisfying(RoomAdmission.Admitted.class,
        a -> assertThat(a.occupancy().users()).as("carol counted once, as a new user").isEqualTo(2));
    assertThat(call(vertx, () -> rooms.release("#r", "carol")).occupancy().users()).isEqualTo(1);
  }

  @Test
  public void a_correction_rewrites_the_per_user_counts_so_later_releases_count_right() {
    call(vertx, () -> rooms.reserve("#r", "alice", 10));
    call(vertx, () -> rooms.reserve("#r", "ghost", 10)); // a place whose membership was never written
    long version = call(vertx, () -> rooms.get("#r")).orElseThrow().version();

    call(vertx, () -> rooms.correct(new RoomTally("#r", 1, Map.of("alice", 1)), version));

    RoomRelease ghost = call(vertx, () -> rooms.release("#r", "ghost"));
    assertThat(ghost.occupancy().sessions()).as("the ghost's count is gone with the correction").isEqualTo(1);
    assertThat(ghost.vacatedNow()).isFalse();
    assertThat(call(vertx, () -> rooms.release("#r", "alice")).vacatedNow()).isTrue();
  }

  @Test
  public void rooms_are_listed_by_prefix_in_name_order_page_by_page() {
    for (String room : List.of("team:2/b", "team:1/a", "other", "team:1/b", "team:10")) {
      call(vertx, () -> rooms.reserve(room, "alice", 10));
    }

    RoomPage first = call(vertx, () -> rooms.list("team:1", null, 2));
    assertThat(first.rooms()).extracting(RoomOccupancy::room).containsExactly("team:1/a", "team:1/b");
    assertThat(first.next()).isEqualTo("team:1/b");
    RoomPage second = call(vertx, () -> rooms.list("team:1", first.next(), 2));
    assertThat(second.rooms()).extracting(RoomOccupancy::room).containsExactly("team:10");
    assertThat(second.next()).isNull();
    assertThat(call(vertx, () -> rooms.list("", null, 10)).rooms()).hasSize(5);
  }

  @Test
  public void a_correction_overwrites_drifted_counters_and_an_empty_recount_removes_the_record() {
    call(vertx, () -> rooms.reserve("#r", "alice", 10));
    call(vertx, () -> rooms.reserve("#r", "ghost", 10));
    long version = call(vertx, () -> rooms.get("#r")).orElseThrow().version();

    RoomOccupancy before = call(vertx, () -> rooms.correct(new RoomTally("#r", 1, Map.of("alice", 1)),
        version)).orElseThrow();
    assertThat(before.sessions()).isEqualTo(2);
    RoomOccupancy after = call(vertx, () -> rooms.get("#r")).orElseThrow();
    assertThat(after.sessions()).isEqualTo(1);
    assertThat(after.users()).isEqualTo(1);
    assertThat(after.version()).isGreaterThan(before.version());

    call(vertx, () -> rooms.correct(new RoomTally("#r", 0, Map.of()), after.version()));
    assertThat(call(vertx, () -> rooms.get("#r"))).isEmpty();
  }

  @Test
  public void a_correction_of_a_record_changed_since_the_recount_read_it_changes_nothing() {
    call(vertx, () -> rooms.reserve("#r", "alice", 10));
    long version = call(vertx, () -> rooms.get("#r")).orElseThrow().version();
    call(vertx, () -> rooms.reserve("#r", "bob", 10)); // a join after the recount compared

    assertThat(call(vertx, () -> rooms.correct(new RoomTally("#r", 0, Map.of()), version))).isEmpty();
    assertThat(call(vertx, () -> rooms.get("#r")).orElseThrow().sessions()).isEqualTo(2);
    assertThat(call(vertx, () -> rooms.correct(new RoomTally("#nothing", 0, Map.of()), 0))).isEmpty();
  }
}
