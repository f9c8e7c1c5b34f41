package dev.presence.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.presence.presence.MembershipWrite;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.RestoreResult;
import dev.presence.presence.ResumeOutcome;
import dev.presence.presence.ResumePolicy;
import dev.presence.presence.SessionStatus;
import dev.presence.room.RoomMembership;
import dev.presence.session.ResumeTokens;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Entry processors on the presence map. Each runs atomically on the key's partition thread (and again on
 * the backup with the same inputs, so primary and backup agree): tiny and pure, comparing owner or
 * version and writing the TTL explicitly.
 */
final class PresenceProcessors {

  private PresenceProcessors() {
  }

  /** Renews an entry owned by {@code node}: new lastRenewedAt, next version, TTL restarted. */
  record Renew(String node, long now, long ttlMs) implements EntryProcessor<String, PresenceEntry, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null || !current.node().equals(node)) {
        return Boolean.FALSE;
      }
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValue(current.renewed(now),
          ttlMs + ClusterNames.TTL_SLACK_MS, TimeUnit.MILLISECONDS);
      return Boolean.TRUE;
    }
  }

  /**
   * Writes a live session's entry back if it is gone (a healed split discarded it, another node evicted it while
   * its connection stayed alive), or renews it if the caller's node owns it already; returns the ordinal of the
   * {@code RestoreResult} (an int travels without a serializer of its own).
   */
  record Restore(PresenceEntry entry, long ttlMs) implements EntryProcessor<String, PresenceEntry, Integer> {
    @Override
    public Integer process(Map.Entry<String, PresenceEntry> mapEntry) {
      PresenceEntry current = mapEntry.getValue();
      if (current != null && !current.node().equals(entry.node())) {
        return RestoreResult.MOVED.ordinal();
      }
      PresenceEntry next = current == null ? entry : current.renewed(entry.lastRenewedAt());
      ((ExtendedMapEntry<String, PresenceEntry>) mapEntry).setValue(next, ttlMs + ClusterNames.TTL_SLACK_MS,
          TimeUnit.MILLISECONDS);
      return (current == null ? RestoreResult.WRITTEN : RestoreResult.ALREADY_OURS).ordinal();
    }
  }

  /** Sets the shown nickname, keeping the entry's remaining TTL. */
  record SetNick(String nick, String nickKey) implements EntryProcessor<String, PresenceEntry, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null) {
        return Boolean.FALSE;
      }
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValueWithoutChangingExpiryTime(
          current.withNick(nick, nickKey));
      return Boolean.TRUE;
    }
  }

  /**
   * Sets availability, meta and idle flag, keeping the entry's remaining TTL.
   *
   * @return the entry before the change, or {@code null} if there is none
   */
  record SetStatus(SessionStatus status) implements EntryProcessor<String, PresenceEntry, PresenceEntry> {
    @Override
    public PresenceEntry process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null) {
        return null;
      }
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValueWithoutChangingExpiryTime(current.withStatus(status));
      return current;
    }
  }

  /** Holds a connected entry as suspect until {@code until}, with a new TTL; returns the held entry or null. */
  record Hold(long until, long ttlMs) implements EntryProcessor<String, PresenceEntry, PresenceEntry> {
    @Override
    public PresenceEntry process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null || current.isHeld()) {
        return null;
      }
      PresenceEntry held = current.hold(until);
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValue(held, ttlMs, TimeUnit.MILLISECONDS);
      return held;
    }
  }

  /**
   * Resumes a held entry on {@code node} if {@link ResumePolicy#decide} lets the claim do so: here, on the partition
   * thread, the check of the resume generation and its increment are one step, so a token resumes once however many
   * clients present it at the same moment.
   */
  record Resume(ResumeTokens.Claim claim, String node, long now, long ttlMs)
      implements EntryProcessor<String, PresenceEntry, ResumeOutcome> {
    @Override
    public ResumeOutcome process(Map.Entry<String, PresenceEntry> entry) {
      ResumeOutcome outcome = ResumePolicy.decide(entry.getValue(), claim, node, now);
      if (outcome instanceof ResumeOutcome.Resumed resumed) {
        ((ExtendedMapEntry<String, PresenceEntry>) entry).setValue(resumed.entry(),
            ttlMs + ClusterNames.TTL_SLACK_MS, TimeUnit.MILLISECONDS);
      }
      return outcome;
    }
  }

  /** Removes an entry still held with exactly this hold end; returns the removed entry or null. */
  record RemoveIfHeld(long until) implements EntryProcessor<String, PresenceEntry, PresenceEntry> {
    @Override
    public PresenceEntry process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null || current.heldUntil() != until) {
        return null;
      }
      entry.setValue(null);
      return current;
    }
  }

  /** Compare-and-delete on the version judged stale. */
  record RemoveIfUnchanged(long expectedVersion) implements EntryProcessor<String, PresenceEntry, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null || current.version() != expectedVersion) {
        return Boolean.FALSE;
      }
      entry.setValue(null);
      return Boolean.TRUE;
    }
  }

  /**
   * Puts the session in a room (or replaces its meta there), keeping the entry's remaining TTL; returns the ordinal
   * of the {@link MembershipWrite}. The room limit is checked here, on the partition thread, so two joins of one
   * session racing on two event loops cannot both pass it.
   */
  record JoinRoom(String room, RoomMembership membership, int maxRooms)
      implements EntryProcessor<String, PresenceEntry, Integer> {
    @Override
    public Integer process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null) {
        return MembershipWrite.NO_SESSION.ordinal();
      }
      RoomMembership existing = current.rooms().get(room);
      if (existing == null && current.rooms().size() >= maxRooms) {
        return MembershipWrite.ROOM_LIMIT.ordinal();
      }
      RoomMembership next = existing == null ? membership : existing.withMeta(membership.meta());
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValueWithoutChangingExpiryTime(
          current.withRoom(room, next));
      return (existing == null ? MembershipWrite.ADDED : MembershipWrite.UPDATED).ordinal();
    }
  }

  /**
   * Sets (or clears) a member's room nickname, only if the membership still holds {@code expectedKey} (compare and
   * set: a change that raced with another of the same membership loses), keeping the entry's remaining TTL.
   * Returns whether it was written.
   */
  record SetRoomNick(String room, String nick, String nickKey, String expectedKey)
      implements EntryProcessor<String, PresenceEntry, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      RoomMembership existing = current == null ? null : current.rooms().get(room);
      if (existing == null || !java.util.Objects.equals(existing.nickKey(), expectedKey)) {
        return false;
      }
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValueWithoutChangingExpiryTime(
          current.withRoom(room, existing.withNick(nick, nickKey)));
      return true;
    }
  }

  /** Takes the session out of a room, keeping the entry's remaining TTL; returns the entry before, or null. */
  record LeaveRoom(String room) implements EntryProcessor<String, PresenceEntry, PresenceEntry> {
    @Override
    public PresenceEntry process(Map.Entry<String, PresenceEntry> entry) {
      PresenceEntry current = entry.getValue();
      if (current == null || !current.inRoom(room)) {
        return null;
      }
      ((ExtendedMapEntry<String, PresenceEntry>) entry).setValueWithoutChangingExpiryTime(current.withoutRoom(room));
      return current;
    }
  }
}
