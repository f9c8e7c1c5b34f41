package dev.presence.presence;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickFate;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NicknameCheck;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomNicknames;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Room nicknames (docs/protocol.md §12.2, docs/consistency.md "Room nicknames"): a nickname unique within one room,
 * independent of the global one, held as a lease of the nickname map under {@link RoomNicknames#leaseKey}, so the
 * claim, grace, same-user takeover, fencing token, quorum and merge rule are exactly the global nickname's. The lease
 * is the truth; the membership on the session's entry shows it, and is written only after the lease was granted (and
 * cleared when the lease is found lost). The renewal renews these leases in the node's one nickname batch.
 *
 * <p>Threading: call from a Vert.x context; futures complete there (the stores guarantee it). Stateless.
 */
public final class RoomNickLeases {

  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final NickFates fates;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final String node;
  private final long leaseTtlMs;

  /**
   * @param stores     the cluster maps' ports
   * @param fates      performs a nickname's fate (a leave frees it at once)
   * @param channel    where {@code room.update} is published
   * @param clock      wall clock (epoch ms)
   * @param node       this node's id (the leases' holder node)
   * @param leaseTtlMs a held lease's lifetime without renewal (ms)
   */
  public RoomNickLeases(PresenceStores stores, NickFates fates, PresenceChannel channel, InstantSource clock,
      String node, long leaseTtlMs) {
    this.presence = stores.presence();
    this.nicknames = stores.nicknames();
    this.fates = fates;
    this.channel = channel;
    this.clock = clock;
    this.node = node;
    this.leaseTtlMs = leaseTtlMs;
  }

  /**
   * Claims a room nickname's lease for a session (a {@code join} with {@code nick}): granted if free, held by this
   * session, or held or reserved by another session of the same user (which then loses it: its next renewal tells
   * it {@code nick.lost}); taken otherwise.
   *
   * @param session the claiming session
   * @param user    its user
   * @param room    the room
   * @param nick    the checked nickname
   * @return the claim's outcome; failed with {@code ClusterStoreException} (the quorum missing, for one)
   */
  Future<ClaimOutcome> claim(String session, String user, String room, NicknameCheck.Valid nick) {
    return nicknames.acquire(RoomNicknames.leaseKey(room, nick.key()), nick.display(),
        new NickHolder(session, user, node), clock.millis(), leaseTtlMs);
  }

  /**
   * Frees a room nickname's lease at once (a {@code leave}, a kick from the room, a join that did not happen), if
   * the session still holds it.
   *
   * @param session the session
   * @param user    its user
   * @param room    the room
   * @param nickKey the nickname's key, or {@code null} (nothing to do)
   * @return completes when stored
   */
  Future<?> release(String session, String user, String room, String nickKey) {
    return nickKey == null ? Future.succeededFuture()
        : fates.apply(RoomNicknames.leaseKey(room, nickKey), session, user, NickFate.FREE, clock.millis());
  }

  /**
   * Changes a member's room nickname ({@code nick} with {@code room}, or a repeated {@code join} with {@code nick}):
   * claims the new lease, writes it on the membership (compare-and-set on the nickname the connection knows), then
   * frees the old lease and publishes {@code room.update}.
   *
   * @param entry the session as its connection knows it
   * @param room  a room the session is in
   * @param known the membership as the connection knows it (its meta, and the room nickname it holds, if any)
   * @param nick  the checked new nickname
   * @return claimed (display, key, fencing token), or rejected ({@code nick_taken}; {@code not_in_room} if the
   *     membership is gone or changed meanwhile, and then the new lease is given back); failed with
   *     {@code ClusterStoreException}
   */
  public Future<NickChange> change(PresenceEntry entry, String room, RoomMembership known, NicknameCheck.Valid nick) {
    return claim(entry.session(), entry.user(), room, nick).compose(outcome -> show(outcome, entry, room, known,
        nick.display(), nick.key(), "nickname is held or reserved in " + room + " by another user"));
  }

  /**
   * Takes back a room nickname the session was told it lost only because its node lost the quorum (self-fencing),
   * now that the quorum is back, the same way as the global one ({@code PresenceService.reclaimNick}): per
   * {@link NicknameLeaseStore#reclaim}, only if nobody else got it meanwhile (never displacing another session, not
   * even one of the same user). Then written on the membership, compare-and-set on no room nickname (the fencing
   * cleared it), and {@code room.update} published. The lease is the truth: it is the session's even when that write
   * finds no entry, because the merge that brought the quorum back discarded this side's entries; the session is then
   * re-asserted with the memberships its connection knows, this nickname included, and a {@code room.join} shows it
   * (docs/consistency.md, "A healed split"). The caller runs this in the session's request queue after checking that
   * the session is still in the room without a room nickname, so no {@code leave} or {@code nick} races it.
   *
   * @param entry the session as its connection knows it
   * @param room  a room the session is in
   * @param known the membership as the connection knows it (without a room nickname)
   * @param nick  the lost nickname's display form
   * @param key   its normalized form
   * @return claimed (display, key, fencing token), or rejected ({@code nick_taken}: another session holds it now);
   *     failed with {@code ClusterStoreException} while the quorum is still missing
   */
  public Future<NickChange> reclaim(PresenceEntry entry, String room, RoomMembership known, String nick, String key) {
    String session = entry.session();
    return nicknames.reclaim(RoomNicknames.leaseKey(room, key), nick, new NickHolder(session, entry.user(), node),
        clock.millis(), leaseTtlMs).compose(outcome -> {
          if (!(outcome instanceof ClaimOutcome.Granted granted)) {
            return Future.succeededFuture(new NickChange.Rejected("nick_taken", "another session holds it in " + room
                + " now"));
          }
          return presence.setRoomNick(session, room, nick, key, null).map(written -> {
            if (written) {
              channel.publish(PresenceEvent.roomUpdate(entry, room, known.withNick(nick, key), clock.millis()));
            }
            return new NickChange.Claimed(nick, key, granted.lease().fencingToken());
          });
        });
  }

  /**
   * After a granted claim of a changed room nickname's lease: writes it on the membership (compare-and-set on the
   * nickname {@code known} holds), frees the old lease and publishes {@code room.update}; gives the new lease back if
   * the membership is gone or changed meanwhile.
   */
  private Future<NickChange> show(ClaimOutcome outcome, PresenceEntry entry, String room, RoomMembership known,
      String nick, String key, String takenMessage) {
    if (!(outcome instanceof ClaimOutcome.Granted granted)) {
      return Future.succeededFuture(new NickChange.Rejected("nick_taken", takenMessage));
    }
    String session = entry.session();
    String currentKey = known.nickKey();
    return presence.setRoomNick(session, room, nick, key, currentKey).compose(written -> {
      if (!written) {
        return (key.equals(currentKey) ? Future.succeededFuture() : release(session, entry.user(), room, key))
            .map(v -> new NickChange.Rejected("not_in_room", "this session is not in " + room));
      }
      Future<?> old = currentKey == null || currentKey.equals(key) ? Future.succeededFuture()
          : release(session, entry.user(), room, currentKey);
      return old.map(v -> {
        channel.publish(PresenceEvent.roomUpdate(entry, room, known.withNick(nick, key), clock.millis()));
        return new NickChange.Claimed(nick, key, granted.lease().fencingToken());
      });
    });
  }

  /**
   * Clears a room nickname whose lease the session no longer holds (the renewal found it expired, taken over, or
   * fenced): the membership shows no nickname and {@code room.update} says so. The lease is left alone: it is not
   * the session's any more.
   *
   * @param entry the session as its connection knows it
   * @param room  the room
   * @param known the membership as the connection knows it, with the lost nickname (compare-and-set on its key: a
   *              newer nickname stays)
   * @return whether the membership was cleared
   */
  public Future<Boolean> drop(PresenceEntry entry, String room, RoomMembership known) {
    return presence.setRoomNick(entry.session(), room, null, null, known.nickKey()).onSuccess(cleared -> {
      if (cleared) {
        channel.publish(PresenceEvent.roomUpdate(entry, room, known.withNick(null, null), clock.millis()));
      }
    });
  }

  /**
   * Claims back the room nicknames of a restored session (a healed split), as its global one: only if still its own
   * ({@code NicknameLeaseStore#reclaim} never displaces another session). One taken meanwhile is found by the next
   * renewal, which tells the session {@code nick.lost}. The restore waits for these: a renewal that read the leases
   * before they landed would take a nickname still in the session's own grace for a lost one.
   *
   * @param restored the entry written back
   * @return completes when every reclaim was answered (granted or not); failed with {@code ClusterStoreException}
   *     if one could not be made (without the quorum: the restore is run again)
   */
  Future<Void> reclaimAll(PresenceEntry restored) {
    long now = clock.millis();
    NickHolder holder = new NickHolder(restored.session(), restored.user(), node);
    List<Future<ClaimOutcome>> reclaims = new ArrayList<>();
    for (Map.Entry<String, RoomMembership> room : restored.rooms().entrySet()) {
      RoomMembership m = room.getValue();
      if (m.nickKey() != null) {
        reclaims.add(nicknames.reclaim(RoomNicknames.leaseKey(room.getKey(), m.nickKey()), m.nick(), holder, now,
            leaseTtlMs));
      }
    }
    return Future.all(reclaims).mapEmpty();
  }
}
