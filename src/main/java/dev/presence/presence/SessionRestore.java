package dev.presence.presence;

import dev.presence.nickname.ClaimOutcome;
import dev.presence.nickname.NickHolder;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.room.RoomMembership;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.Map;

/**
 * Re-asserts a live session whose cluster state was lost while its connection stayed up: a healed split's merge
 * discarded its presence entry (the merging side's entries do not survive), or a node that could not hear its
 * owner (a pause, a partition) evicted it. The owner still holds the connection and has heard from the client
 * within the heartbeat timeout, so by the client rule (docs/consistency.md) the client still believes it is
 * present: closing it would only cause a reconnect storm and a flapping presence.
 * <ol>
 *   <li>the presence entry is written back unless another node owns the session now (resumed there);</li>
 *   <li>its nickname, and each of its room nicknames, is taken back only if still its own
 *       ({@code NickLeasePolicy.reclaim}: free, held by it, or in its own grace), never from another session:
 *       otherwise the client is told {@code nick.lost} (for a room nickname, by the next renewal). Without the
 *       nickname quorum the reclaim is refused and the restore fails; the next renewal runs it again, until the
 *       quorum returns;</li>
 *   <li>its session slot is counted again (forced: a user may exceed the limit until sessions end, as during a
 *       split);</li>
 *   <li>its rooms ride back on the entry; each room's place is taken again (forced, like the slot) and a
 *       {@code room.join} published after the {@code join};</li>
 *   <li>a {@code join} is published: nodes that saw it leave (or never saw it: it joined during the split) see it
 *       again; a view that still holds it does not change (a join of a known session replaces its entry).</li>
 * </ol>
 *
 * <p>Every step after the entry's write can be run again: a restore that failed after it wrote the entry is finished
 * by the next one (its caller says so), which finds the entry already its own.
 *
 * <p>Threading: call from a Vert.x event loop; futures complete there. Stateless.
 */
public final class SessionRestore {

  /** How a restore ended. */
  public enum Outcome {
    /** The session is present again, with its nickname. */
    RESTORED,
    /** The session is present again, but its nickname belongs to another session now: tell the client. */
    RESTORED_WITHOUT_NICK,
    /** Another node owns the session now (it was resumed there): this connection is stale. */
    MOVED
  }

  private final PresenceStores stores;
  private final RoomMemberships rooms;
  private final PresenceChannel channel;
  private final InstantSource clock;
  private final String node;
  private final long leaseTtlMs;

  SessionRestore(PresenceStores stores, RoomMemberships rooms, PresenceChannel channel, InstantSource clock,
      String node, long leaseTtlMs) {
    this.stores = stores;
    this.rooms = rooms;
    this.channel = channel;
    this.clock = clock;
    this.node = node;
    this.leaseTtlMs = leaseTtlMs;
  }

  /**
   * @param session     the session
   * @param user        its user
   * @param nick        display nickname the connection believes it holds, or {@code null}
   * @param nickKey     its normalized form, or {@code null}
   * @param status      the session's status
   * @param connectedAt epoch ms the session joined (or resumed) on this node
   * @param resumeGeneration the session's resume generation as its last join or resume left it: written back with
   *                    the entry, so the resume token its client holds still resumes it after the next drop
   * @param roomsIn     the rooms the connection knows the session is in: written back with the entry (memberships
   *                    ride on it), with their places taken again and a {@code room.join} each
   * @param finishing   whether this session's last restore failed: its entry may be written already, and the steps
   *                    after the write are run again even if the entry is found to be its own
   * @return the outcome; failed with {@code ClusterStoreException} if a store failed (the next renewal retries, with
   *     {@code finishing})
   */
  public Future<Outcome> restore(String session, String user, String nick, String nickKey, SessionStatus status,
      long connectedAt, long resumeGeneration, Map<String, RoomMembership> roomsIn, boolean finishing) {
    long now = clock.millis();
    // A fresh version (never a small counter an old copy could carry), so that no sweep that read an earlier copy
    // of this session can remove the restored entry with its compare-and-delete.
    PresenceEntry entry = new PresenceEntry(session, user, nick, nickKey, node, connectedAt, now, now * 1_000,
        status, 0, resumeGeneration, roomsIn);
    return stores.presence().restore(entry, leaseTtlMs).compose(result -> {
      if (result == RestoreResult.MOVED) {
        return Future.succeededFuture(Outcome.MOVED);
      }
      if (result == RestoreResult.ALREADY_OURS && !finishing) {
        return Future.succeededFuture(Outcome.RESTORED); // a re-check read before an earlier restore: nothing to do
      }
      // Room nicknames first, with the global one: a renewal that read their leases before a reclaim landed would
      // take one still in the session's own grace for lost, once the restore is over (its write count settled).
      Future<Boolean> globalNick = reclaimNick(entry, now);
      return Future.all(globalNick, rooms.reclaimNicks(entry)).map(reclaimed -> globalNick.result()).compose(keptNick -> {
        PresenceEntry shown = keptNick ? entry : entry.withNick(null, null);
        Future<?> clearNick = keptNick ? Future.succeededFuture() : stores.presence().setNick(session, null, null);
        return Future.all(clearNick, stores.slots().acquire(user, session, node, Integer.MAX_VALUE, now, leaseTtlMs))
            .map(done -> {
              channel.publish(PresenceEvent.join(shown, now));
              rooms.restored(shown);
              return keptNick ? Outcome.RESTORED : Outcome.RESTORED_WITHOUT_NICK;
            });
      });
    });
  }

  private Future<Boolean> reclaimNick(PresenceEntry entry, long now) {
    if (entry.nickKey() == null) {
      return Future.succeededFuture(true);
    }
    NicknameLeaseStore nicknames = stores.nicknames();
    return nicknames.reclaim(entry.nickKey(), entry.nick(), new NickHolder(entry.session(), entry.user(), node), now,
        leaseTtlMs).map(outcome -> outcome instanceof ClaimOutcome.Granted);
  }
}
