package dev.presence.cluster;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
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
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Hazelcast custom serializers for every value, entry processor and query this node puts on the wire.
 *
 * <p>Why: with plain {@code java.io.Serializable} each presence entry, lease and processor is written with
 * its class descriptor and read back through reflection; profiling a burst of 1,000 simultaneous resets
 * showed {@code ObjectInputStream}/{@code ObjectOutputStream} among the hottest frames on event loops and
 * partition threads. Custom serializers (Hazelcast Reference Manual, "Custom Serialization") are looked up
 * before Java serialization and write only the fields. They keep the domain records free of Hazelcast types.
 *
 * <p>Every member must register the same ids (they do: all build their config through
 * {@link HazelcastConfigFactory}). Changing a layout is a wire change: members of different layouts cannot
 * share a cluster, so give the changed type a new id.
 *
 * <p>Threading: serializers are stateless and run on whatever thread Hazelcast serializes on (event loops
 * invoking, partition threads, I/O threads).
 */
final class ClusterSerializers {

  private ClusterSerializers() {
  }

  /** Registers every serializer; call once while building the member config. */
  static void register(SerializationConfig config) {
    // 1001 was the entry before it carried its resume generation, 1008 before it carried its rooms; never reuse a
    // retired id.
    add(config, PresenceEntry.class, 1011, ClusterSerializers::writeEntry, ClusterSerializers::readEntry);
    add(config, NickLease.class, 1002, ClusterSerializers::writeLease, ClusterSerializers::readLease);
    add(config, ClaimOutcome.Granted.class, 1003, (out, g) -> {
      writeLease(out, g.lease());
      out.writeString(g.displacedSession());
    }, in -> new ClaimOutcome.Granted(readLease(in), in.readString()));
    add(config, ClaimOutcome.Taken.class, 1004, (out, t) -> writeNullableLease(out, t.lease()),
        in -> new ClaimOutcome.Taken(readNullableLease(in)));
    registerNicknameProcessors(config);
    registerPresenceProcessors(config);
    registerQueries(config);
    registerSessionSlots(config);
    registerAggregators(config);
    registerRooms(config);
  }

  private static void registerRooms(SerializationConfig config) {
    add(config, PresenceProcessors.JoinRoom.class, 1212, (out, j) -> {
      out.writeString(j.room());
      writeMembership(out, j.membership());
      out.writeInt(j.maxRooms());
    }, in -> new PresenceProcessors.JoinRoom(in.readString(), readMembership(in), in.readInt()));
    add(config, PresenceProcessors.LeaveRoom.class, 1213, (out, l) -> out.writeString(l.room()),
        in -> new PresenceProcessors.LeaveRoom(in.readString()));
    add(config, PresenceProcessors.SetRoomNick.class, 1214, (out, n) -> {
      out.writeString(n.room());
      out.writeString(n.nick());
      out.writeString(n.nickKey());
      out.writeString(n.expectedKey());
    }, in -> new PresenceProcessors.SetRoomNick(in.readString(), in.readString(), in.readString(), in.readString()));
    // The occupancy record's form changed with the per-user counts' move to a map of their own: new ids, so a node of
    // an older version fails on them loudly instead of misreading them (upgrade by stopping every node).
    add(config, RoomOccupancy.class, 1017, ClusterSerializers::writeOccupancy, ClusterSerializers::readOccupancy);
    add(config, RoomAdmission.Admitted.class, 1018, (out, a) -> {
      writeOccupancy(out, a.occupancy());
      out.writeBoolean(a.occupiedNow());
    }, in -> new RoomAdmission.Admitted(readOccupancy(in), in.readBoolean()));
    add(config, RoomAdmission.Full.class, 1015, (out, f) -> out.writeInt(f.sessions()),
        in -> new RoomAdmission.Full(in.readInt()));
    add(config, RoomRelease.class, 1019, (out, r) -> {
      writeOccupancy(out, r.occupancy());
      out.writeBoolean(r.vacatedNow());
    }, in -> new RoomRelease(readOccupancy(in), in.readBoolean()));
    // 1020 was the per-user counts' (room, user) key and 1713-1716 their processors, one entry per room and user
    // (now one record per room): never reuse them.
    add(config, RoomUserCounts.class, 1022, (out, c) -> {
      out.writeStringArray(c.usersInOrder());
      out.writeIntArray(c.sessionsInOrder());
    }, in -> RoomUserCounts.stored(in.readStringArray(), in.readIntArray()));
    add(config, RoomProcessors.Reserve.class, 1710, (out, r) -> {
      out.writeBoolean(r.newUser());
      out.writeInt(r.maxMembers());
    }, in -> new RoomProcessors.Reserve(in.readBoolean(), in.readInt()));
    add(config, RoomProcessors.Release.class, 1711, (out, r) -> {
      out.writeBoolean(r.counted());
      out.writeBoolean(r.userLeft());
    }, in -> new RoomProcessors.Release(in.readBoolean(), in.readBoolean()));
    add(config, RoomProcessors.Correct.class, 1712, (out, c) -> {
      out.writeInt(c.sessions());
      out.writeInt(c.users());
      out.writeLong(c.expectedVersion());
    }, in -> new RoomProcessors.Correct(in.readInt(), in.readInt(), in.readLong()));
    add(config, RoomProcessors.ReadCounts.class, 1706, (out, r) -> { }, in -> RoomProcessors.ReadCounts.INSTANCE);
    add(config, RoomProcessors.AddSession.class, 1720, (out, a) -> out.writeString(a.user()),
        in -> new RoomProcessors.AddSession(in.readString()));
    add(config, RoomProcessors.RemoveSession.class, 1721, (out, r) -> out.writeString(r.user()),
        in -> new RoomProcessors.RemoveSession(in.readString()));
    add(config, RoomProcessors.ReplaceCounts.class, 1722, (out, r) -> {
      out.writeInt(r.perUser().size());
      for (Map.Entry<String, Integer> user : r.perUser().entrySet()) {
        out.writeString(user.getKey());
        out.writeInt(user.getValue());
      }
    }, in -> {
      int users = in.readInt();
      Map<String, Integer> perUser = new HashMap<>(users * 2);
      for (int i = 0; i < users; i++) {
        perUser.put(in.readString(), in.readInt());
      }
      return new RoomProcessors.ReplaceCounts(perUser);
    });
    add(config, RoomProcessors.NameAfter.class, 1704, (out, q) -> out.writeString(q.after()),
        in -> new RoomProcessors.NameAfter(in.readString()));
    add(config, RoomProcessors.ByName.class, 1705, (out, c) -> { }, in -> new RoomProcessors.ByName());
  }

  private static void writeMembership(ObjectDataOutput out, RoomMembership m) throws IOException {
    out.writeLong(m.joinedAt());
    out.writeString(m.meta());
    out.writeString(m.nick());
    out.writeString(m.nickKey());
  }

  private static RoomMembership readMembership(ObjectDataInput in) throws IOException {
    return new RoomMembership(in.readLong(), in.readString(), in.readString(), in.readString());
  }

  private static void writeOccupancy(ObjectDataOutput out, RoomOccupancy o) throws IOException {
    out.writeString(o.room());
    out.writeInt(o.sessions());
    out.writeInt(o.users());
    out.writeLong(o.version());
  }

  private static RoomOccupancy readOccupancy(ObjectDataInput in) throws IOException {
    return new RoomOccupancy(in.readString(), in.readInt(), in.readInt(), in.readLong());
  }

  private static void registerSessionSlots(SerializationConfig config) {
    add(config, UserSessionSlots.class, 1005, ClusterSerializers::writeSlots, ClusterSerializers::readSlots);
    add(config, SlotAdmission.Admitted.class, 1006, (out, a) -> out.writeInt(a.liveSessions()),
        in -> new SlotAdmission.Admitted(in.readInt()));
    add(config, SlotAdmission.Refused.class, 1007, (out, r) -> out.writeInt(r.liveSessions()),
        in -> new SlotAdmission.Refused(in.readInt()));
    add(config, SessionSlotProcessors.Admit.class, 1401, (out, a) -> {
      out.writeString(a.session());
      out.writeString(a.node());
      out.writeInt(a.maxSessions());
      out.writeLong(a.now());
      out.writeLong(a.ttlMs());
    }, in -> new SessionSlotProcessors.Admit(in.readString(), in.readString(), in.readInt(), in.readLong(),
        in.readLong()));
    add(config, SessionSlotProcessors.Release.class, 1402, (out, r) -> {
      out.writeString(r.session());
      out.writeLong(r.now());
    }, in -> new SessionSlotProcessors.Release(in.readString(), in.readLong()));
    add(config, SessionSlotProcessors.Renew.class, 1403, (out, r) -> {
      out.writeString(r.node());
      out.writeLong(r.now());
      out.writeLong(r.ttlMs());
    }, in -> new SessionSlotProcessors.Renew(in.readString(), in.readLong(), in.readLong()));
  }

  private static void writeSlots(ObjectDataOutput out, UserSessionSlots slots) throws IOException {
    out.writeInt(slots.slots().size());
    for (Map.Entry<String, SessionSlot> slot : slots.slots().entrySet()) {
      out.writeString(slot.getKey());
      out.writeString(slot.getValue().node());
      out.writeLong(slot.getValue().expiresAt());
    }
  }

  private static UserSessionSlots readSlots(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    Map<String, SessionSlot> slots = new HashMap<>(Math.max(4, size * 2));
    for (int i = 0; i < size; i++) {
      slots.put(in.readString(), new SessionSlot(in.readString(), in.readLong()));
    }
    return new UserSessionSlots(slots);
  }

  private static void registerAggregators(SerializationConfig config) {
    add(config, SessionsPerNode.class, 1501, (out, a) -> {
      out.writeInt(a.counts().size());
      for (Map.Entry<String, Long> e : a.counts().entrySet()) {
        out.writeString(e.getKey());
        out.writeLong(e.getValue());
      }
    }, in -> {
      int size = in.readInt();
      Map<String, Long> counts = new HashMap<>();
      for (int i = 0; i < size; i++) {
        counts.put(in.readString(), in.readLong());
      }
      return new SessionsPerNode(counts);
    });
  }

  private static void registerNicknameProcessors(SerializationConfig config) {
    add(config, NickLeaseProcessors.Claim.class, 1101, (out, c) -> {
      out.writeString(c.nick());
      writeHolder(out, c.claimant());
      out.writeLong(c.now());
      out.writeLong(c.leaseTtlMs());
    }, in -> new NickLeaseProcessors.Claim(in.readString(), readHolder(in), in.readLong(), in.readLong()));
    add(config, NickLeaseProcessors.Release.class, 1102, (out, r) -> {
      out.writeString(r.session());
      out.writeLong(r.now());
      out.writeLong(r.tombstoneTtlMs());
    }, in -> new NickLeaseProcessors.Release(in.readString(), in.readLong(), in.readLong()));
    add(config, NickLeaseProcessors.EnterGrace.class, 1103, (out, g) -> {
      out.writeString(g.session());
      out.writeLong(g.now());
      out.writeLong(g.graceMs());
    }, in -> new NickLeaseProcessors.EnterGrace(in.readString(), in.readLong(), in.readLong()));
    add(config, NickLeaseProcessors.Renew.class, 1104, (out, r) -> {
      out.writeString(r.node());
      out.writeLong(r.now());
      out.writeLong(r.leaseTtlMs());
    }, in -> new NickLeaseProcessors.Renew(in.readString(), in.readLong(), in.readLong()));
    add(config, NickLeaseProcessors.Reclaim.class, 1105, (out, c) -> {
      out.writeString(c.nick());
      writeHolder(out, c.claimant());
      out.writeLong(c.now());
      out.writeLong(c.leaseTtlMs());
    }, in -> new NickLeaseProcessors.Reclaim(in.readString(), readHolder(in), in.readLong(), in.readLong()));
  }

  private static void registerPresenceProcessors(SerializationConfig config) {
    add(config, PresenceProcessors.Renew.class, 1201, (out, r) -> {
      out.writeString(r.node());
      out.writeLong(r.now());
      out.writeLong(r.ttlMs());
    }, in -> new PresenceProcessors.Renew(in.readString(), in.readLong(), in.readLong()));
    add(config, PresenceProcessors.SetNick.class, 1202, (out, s) -> {
      out.writeString(s.nick());
      out.writeString(s.nickKey());
    }, in -> new PresenceProcessors.SetNick(in.readString(), in.readString()));
    add(config, PresenceProcessors.RemoveIfUnchanged.class, 1203, (out, r) -> out.writeLong(r.expectedVersion()),
        in -> new PresenceProcessors.RemoveIfUnchanged(in.readLong()));
    add(config, RevocationProcessors.Extend.class, 1801, (out, e) -> {
      out.writeLong(e.untilMs());
      out.writeLong(e.nowMs());
    }, in -> new RevocationProcessors.Extend(in.readLong(), in.readLong()));
    add(config, LastSeenProcessors.Record.class, 1601, (out, r) -> {
      out.writeLong(r.at());
      out.writeLong(r.ttlMs());
    }, in -> new LastSeenProcessors.Record(in.readLong(), in.readLong()));
    add(config, PresenceProcessors.Hold.class, 1205, (out, p) -> {
      out.writeLong(p.until());
      out.writeLong(p.ttlMs());
    }, in -> new PresenceProcessors.Hold(in.readLong(), in.readLong()));
    // 1206 was Resume by user alone, before resume tokens named a generation.
    add(config, PresenceProcessors.Resume.class, 1210, (out, p) -> {
      writeClaim(out, p.claim());
      out.writeString(p.node());
      out.writeLong(p.now());
      out.writeLong(p.ttlMs());
    }, in -> new PresenceProcessors.Resume(readClaim(in), in.readString(), in.readLong(), in.readLong()));
    // 1009 was Resumed with the entry before it carried its rooms.
    add(config, ResumeOutcome.Resumed.class, 1012, (out, r) -> writeEntry(out, r.entry()),
        in -> new ResumeOutcome.Resumed(readEntry(in)));
    add(config, ResumeOutcome.Refused.class, 1010, (out, r) -> out.writeByte(r.reason().ordinal()),
        in -> new ResumeOutcome.Refused(ResumeOutcome.Reason.values()[in.readByte()]));
    add(config, PresenceProcessors.RemoveIfHeld.class, 1207, (out, p) -> out.writeLong(p.until()),
        in -> new PresenceProcessors.RemoveIfHeld(in.readLong()));
    // 1208 and 1209 were Restore with the entry before it carried its resume generation, then its rooms.
    add(config, PresenceProcessors.Restore.class, 1211, (out, r) -> {
      writeEntry(out, r.entry());
      out.writeLong(r.ttlMs());
    }, in -> new PresenceProcessors.Restore(readEntry(in), in.readLong()));
    add(config, PresenceProcessors.SetStatus.class, 1204, (out, s) -> writeStatus(out, s.status()),
        in -> new PresenceProcessors.SetStatus(readStatus(in)));
  }

  private static void registerQueries(SerializationConfig config) {
    add(config, PresenceQueries.RenewedBefore.class, 1301, (out, q) -> out.writeLong(q.bound()),
        in -> new PresenceQueries.RenewedBefore(in.readLong()));
    add(config, PresenceQueries.OwnedBy.class, 1302, (out, q) -> out.writeString(q.node()),
        in -> new PresenceQueries.OwnedBy(in.readString()));
    add(config, PresenceQueries.OfUser.class, 1303, (out, q) -> out.writeString(q.user()),
        in -> new PresenceQueries.OfUser(in.readString()));
    add(config, PresenceQueries.KeyAfter.class, 1304, (out, q) -> out.writeString(q.after()),
        in -> new PresenceQueries.KeyAfter(in.readString()));
    add(config, PresenceQueries.ByKey.class, 1305, (out, c) -> { }, in -> new PresenceQueries.ByKey());
  }

  private static void writeEntry(ObjectDataOutput out, PresenceEntry e) throws IOException {
    out.writeString(e.session());
    out.writeString(e.user());
    out.writeString(e.nick());
    out.writeString(e.nickKey());
    out.writeString(e.node());
    out.writeLong(e.connectedAt());
    out.writeLong(e.lastRenewedAt());
    out.writeLong(e.version());
    writeStatus(out, e.status());
    out.writeLong(e.heldUntil());
    out.writeLong(e.resumeGeneration());
    out.writeInt(e.rooms().size());
    for (Map.Entry<String, RoomMembership> room : e.rooms().entrySet()) {
      out.writeString(room.getKey());
      writeMembership(out, room.getValue());
    }
  }

  private static PresenceEntry readEntry(ObjectDataInput in) throws IOException {
    String session = in.readString();
    String user = in.readString();
    String nick = in.readString();
    String nickKey = in.readString();
    String node = in.readString();
    long connectedAt = in.readLong();
    long lastRenewedAt = in.readLong();
    long version = in.readLong();
    SessionStatus status = readStatus(in);
    long heldUntil = in.readLong();
    long resumeGeneration = in.readLong();
    int roomCount = in.readInt();
    Map<String, RoomMembership> rooms = roomCount == 0 ? Map.of() : new HashMap<>(roomCount * 2);
    for (int i = 0; i < roomCount; i++) {
      rooms.put(in.readString(), readMembership(in));
    }
    return new PresenceEntry(session, user, nick, nickKey, node, connectedAt, lastRenewedAt, version, status,
        heldUntil, resumeGeneration, rooms);
  }

  private static void writeClaim(ObjectDataOutput out, ResumeTokens.Claim claim) throws IOException {
    out.writeString(claim.user());
    out.writeString(claim.session());
    out.writeLong(claim.generation());
    out.writeLong(claim.expiresAt());
  }

  private static ResumeTokens.Claim readClaim(ObjectDataInput in) throws IOException {
    return new ResumeTokens.Claim(in.readString(), in.readString(), in.readLong(), in.readLong());
  }

  private static void writeStatus(ObjectDataOutput out, SessionStatus status) throws IOException {
    out.writeByte(status.availability().ordinal());
    out.writeString(status.meta());
    out.writeBoolean(status.idle());
  }

  private static SessionStatus readStatus(ObjectDataInput in) throws IOException {
    return new SessionStatus(Availability.values()[in.readByte()], in.readString(), in.readBoolean());
  }

  private static void writeLease(ObjectDataOutput out, NickLease lease) throws IOException {
    out.writeString(lease.key());
    out.writeString(lease.nick());
    writeHolder(out, lease.holder());
    out.writeLong(lease.fencingToken());
    out.writeLong(lease.expiresAt());
    out.writeByte(lease.state().ordinal());
  }

  private static NickLease readLease(ObjectDataInput in) throws IOException {
    return new NickLease(in.readString(), in.readString(), readHolder(in), in.readLong(), in.readLong(),
        NickLeaseState.values()[in.readByte()]);
  }

  private static void writeNullableLease(ObjectDataOutput out, NickLease lease) throws IOException {
    out.writeBoolean(lease != null);
    if (lease != null) {
      writeLease(out, lease);
    }
  }

  private static NickLease readNullableLease(ObjectDataInput in) throws IOException {
    return in.readBoolean() ? readLease(in) : null;
  }

  private static void writeHolder(ObjectDataOutput out, NickHolder holder) throws IOException {
    out.writeBoolean(holder != null);
    if (holder != null) {
      out.writeString(holder.session());
      out.writeString(holder.user());
      out.writeString(holder.node());
    }
  }

  private static NickHolder readHolder(ObjectDataInput in) throws IOException {
    return in.readBoolean() ? new NickHolder(in.readString(), in.readString(), in.readString()) : null;
  }

  /** Writes one value's fields; may throw what the stream throws. */
  @FunctionalInterface
  private interface Writer<T> {
    void write(ObjectDataOutput out, T value) throws IOException;
  }

  /** Reads one value's fields in the order {@link Writer} wrote them. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(ObjectDataInput in) throws IOException;
  }

  private static <T> void add(SerializationConfig config, Class<T> type, int typeId, Writer<T> writer,
      Reader<T> reader) {
    config.addSerializerConfig(new SerializerConfig().setTypeClass(type)
        .setImplementation(new FieldSerializer<>(typeId, writer, reader)));
  }

  /** One type's serializer built from a writer and a reader. */
  private record FieldSerializer<T>(int typeId, Writer<T> writer, Reader<T> reader) implements StreamSerializer<T> {
    @Override
    public int getTypeId() {
      return typeId;
    }

    @Override
    public void write(ObjectDataOutput out, T value) throws IOException {
      writer.write(out, value);
    }

    @Override
    public T read(ObjectDataInput in) throws IOException {
      return reader.read(in);
    }
  }
}
