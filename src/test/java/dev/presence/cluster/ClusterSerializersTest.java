package dev.presence.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.presence.config.ClusterMode;
import dev.presence.config.ClusterSettings;
import dev.presence.config.KubernetesDiscovery;
import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeaseState;
import dev.presence.presence.Availability;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.ResumeOutcome;
import dev.presence.presence.SessionSlot;
import dev.presence.presence.SessionStatus;
import dev.presence.presence.SlotAdmission;
import dev.presence.presence.UserSessionSlots;
import dev.presence.room.RoomAdmission;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomOccupancy;
import dev.presence.room.RoomRelease;
import dev.presence.room.RoomUserCounts;
import dev.presence.session.ResumeTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value, entry processor and query the node sends between members goes through its own custom
 * serializer (not Java serialization, which profiling showed hot), and comes back equal. Uses Hazelcast's
 * serialization service built from the member config, as a member does; no cluster needed.
 */
class ClusterSerializersTest {

  private static final NickHolder HOLDER = new NickHolder("s-1", "alice", "node-a");
  private static final NickLease LEASE = new NickLease("alice", "Alice", HOLDER, 42L, 1_000L, NickLeaseState.GRACE);

  static Stream<Object> wireObjects() {
    return Stream.of(
        new PresenceEntry("s-1", "alice", "Alice", "alice", "node-a", 1L, 2L, 3L),
        new PresenceEntry("s-2", "bob", null, null, "node-b", 1L, 2L, 0L),
        new PresenceEntry("s-3", "carol", null, null, "node-b", 1L, 2L, 0L,
            new SessionStatus(Availability.DND, "{\"text\":\"in a meeting ☕\"}", true)),
        LEASE,
        new NickLease("bob", "Bob", null, 7L, 9L, NickLeaseState.RELEASED),
        new ClaimOutcome.Granted(LEASE, "s-0"),
        new ClaimOutcome.Granted(LEASE, null),
        new ClaimOutcome.Taken(LEASE),
        new ClaimOutcome.Taken(null),
        new NickLeaseProcessors.Claim("Alice", HOLDER, 5L, 6L),
        new NickLeaseProcessors.Release("s-1", 5L, 6L),
        new NickLeaseProcessors.EnterGrace("s-1", 5L, 6L),
        new NickLeaseProcessors.Renew("node-a", 5L, 6L),
        new PresenceProcessors.Renew("node-a", 5L, 6L),
        new PresenceProcessors.SetNick("Alice", "alice"),
        new PresenceProcessors.SetNick(null, null),
        new PresenceProcessors.RemoveIfUnchanged(9L),
        new PresenceProcessors.SetStatus(new SessionStatus(Availability.AWAY, null, false)),
        new LastSeenProcessors.Record(5L, 6L),
        new PresenceProcessors.Hold(5L, 6L),
        new PresenceProcessors.Resume(new ResumeTokens.Claim("alice", "s-1", 1_800_000_000_000_001L, 9L), "node-b",
            5L, 6L),
        new ResumeOutcome.Resumed(PresenceEntry.joined("s-1", "alice", "node-b", 5L)),
        new ResumeOutcome.Refused(ResumeOutcome.Reason.USED),
        new ResumeOutcome.Refused(ResumeOutcome.Reason.EXPIRED),
        new PresenceProcessors.RemoveIfHeld(5L),
        new PresenceEntry("s-4", "dave", null, null, "node-b", 1L, 2L, 0L, SessionStatus.ONLINE, 99L, 0L),
        new PresenceEntry("s-5", "erin", "Erin", "erin", "node-a", 1L, 2L, 3L, SessionStatus.ONLINE, 0L,
            1_800_000_000_000_001L),
        new PresenceProcessors.Restore(PresenceEntry.joined("s-6", "frank", "node-a", 1_800_000_000_000L), 6L),
        new PresenceQueries.RenewedBefore(9L),
        new PresenceQueries.OwnedBy("node-a"),
        new PresenceQueries.OfUser("alice"),
        new PresenceQueries.KeyAfter("s-1"),
        new PresenceQueries.KeyAfter(null),
        new UserSessionSlots(Map.of("s-1", new SessionSlot("node-a", 5L), "s-2", new SessionSlot("node-b", 6L))),
        UserSessionSlots.NONE,
        new SlotAdmission.Admitted(3),
        new SlotAdmission.Refused(10),
        new SessionSlotProcessors.Admit("s-1", "node-a", 10, 5L, 6L),
        new SessionSlotProcessors.Release("s-1", 5L),
        new SessionSlotProcessors.Renew("node-a", 5L, 6L),
        PresenceEntry.joined("s-7", "gina", "node-a", 5L).withRoom("#general", new RoomMembership(6L, "{\"x\":1}"))
            .withRoom("team:1/dev", new RoomMembership(7L, null)),
        new ResumeOutcome.Resumed(PresenceEntry.joined("s-8", "hal", "node-b", 5L)
            .withRoom("#general", new RoomMembership(6L, null))),
        new PresenceProcessors.JoinRoom("#general", new RoomMembership(5L, "{}"), 100),
        new PresenceProcessors.JoinRoom("#general", new RoomMembership(5L, null), 100),
        new PresenceProcessors.LeaveRoom("#general"),
        new RoomOccupancy("#general", 3, 2, 9L),
        RoomOccupancy.empty("#general"),
        new RoomAdmission.Admitted(new RoomOccupancy("#r", 1, 1, 1L), true),
        new RoomAdmission.Full(10),
        new RoomRelease(RoomOccupancy.empty("#r"), true),
        new RoomProcessors.Reserve(true, 10_000),
        new RoomProcessors.Reserve(false, 5),
        new RoomProcessors.Release(true, false),
        new RoomProcessors.Release(false, true),
        new RoomProcessors.Correct(1, 1, 7L),
        RoomProcessors.ReadCounts.INSTANCE,
        new RoomProcessors.AddSession("alice"),
        new RoomProcessors.RemoveSession("alice"),
        new RoomProcessors.ReplaceCounts(Map.of("alice", 2, "bob", 1)),
        new RoomProcessors.ReplaceCounts(Map.of()),
        RoomUserCounts.empty(),
        RoomUserCounts.empty().add("bob").add("alice").add("bob"),
        new RoomProcessors.NameAfter("team:1"),
        new RoomProcessors.NameAfter(null));
  }

  private static final InternalSerializationService SERIALIZATION = serializationOfAMember();

  private static InternalSerializationService serializationOfAMember() {
    Config config = new Config();
    ClusterSerializers.register(config.getSerializationConfig());
    return new DefaultSerializationServiceBuilder().setConfig(config.getSerializationConfig()).build();
  }

  @ParameterizedTest
  @MethodSource("wireObjects")
  void each_wire_object_uses_its_custom_serializer_and_round_trips(Object value) {
    Data data = SERIALIZATION.toData(value);

    assertThat(data.getType()).as("type id of %s (Java serialization is negative)", value.getClass())
        .isGreaterThan(1000);
    assertThat((Object) SERIALIZATION.toObject(data)).isEqualTo(value);
  }

  @Test
  void the_paging_comparator_round_trips_and_still_orders_by_session_id() {
    Data data = SERIALIZATION.toData(new PresenceQueries.ByKey());
    PresenceQueries.ByKey back = SERIALIZATION.toObject(data);

    assertThat(data.getType()).isGreaterThan(1000);
    List<Map.Entry<String, PresenceEntry>> entries = new ArrayList<>(
        List.of(Map.entry("b", entry("b")), Map.entry("a", entry("a"))));
    entries.sort(back);
    assertThat(entries).extracting(Map.Entry::getKey).containsExactly("a", "b");
  }

  @Test
  void the_sessions_per_node_aggregator_carries_its_partial_counts_and_combines_them() {
    SessionsPerNode partial = new SessionsPerNode();
    partial.accumulate(Map.entry("s-1", entry("s-1")));
    partial.accumulate(Map.entry("s-2", entry("s-2")));
    Data data = SERIALIZATION.toData(partial);
    SessionsPerNode back = SERIALIZATION.toObject(data);

    assertThat(data.getType()).isGreaterThan(1000);
    SessionsPerNode total = new SessionsPerNode();
    total.combine(back);
    total.combine(back);
    assertThat(total.aggregate()).isEqualTo(Map.of("n", 4L));
  }

  @Test
  void a_service_joins_as_a_lite_member_with_the_nodes_join_settings() {
    ClusterSettings settings = new ClusterSettings(ClusterMode.LOCAL, 3, "c", 5711, "127.0.0.1:5701", null,
        "127.0.0.1", 0, KubernetesDiscovery.DNS, null, null, null);
    Config lite = HazelcastConfigFactory.liteMember(settings);

    assertThat(lite.isLiteMember()).isTrue();
    assertThat(lite.getClusterName()).isEqualTo("c");
    assertThat(lite.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701");
    assertThat(HazelcastConfigFactory.build(settings).isLiteMember()).isFalse();
  }

  @Test
  void the_factory_registers_the_serializers_for_every_member() {
    Config config = HazelcastConfigFactory.build(new ClusterSettings(
        ClusterMode.LOCAL, 1, "c", 5701, "127.0.0.1", null, "127.0.0.1", 0,
        KubernetesDiscovery.DNS, null, null, null));

    assertThat(config.getSerializationConfig().getSerializerConfigs())
        .extracting(c -> c.getTypeClass())
        .contains(PresenceEntry.class, NickLease.class, NickLeaseProcessors.Claim.class, UserSessionSlots.class,
            SessionSlotProcessors.Admit.class);
  }

  private static PresenceEntry entry(String session) {
    return new PresenceEntry(session, "u", null, null, "n", 0L, 0L, 0L);
  }
}
