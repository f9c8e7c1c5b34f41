package dev.presence.presence;

import dev.presence.nickname.NickFate;
import dev.presence.nickname.NickLease;
import dev.presence.nickname.NickLeasePolicy;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.room.RoomMembership;
import dev.presence.room.RoomNicknames;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the fate {@link NickLeasePolicy} decided for a session's nicknames: its global nickname and each of its
 * room nicknames (docs/consistency.md, "Room nicknames": the same lease rules for both), then holds the user to
 * {@code PRESENCE_MAX_GRACE_LEASES_PER_USER}. The one home of "what happens to a session's nicknames" for every
 * path that decides it: a session's end, a resume hold, a leave or a kick from a room.
 *
 * <p>Threading: call from a Vert.x context; futures complete there (the store guarantees it). Stateless.
 */
public final class NickFates {

  private static final Logger LOG = LoggerFactory.getLogger(NickFates.class);

  private final NicknameLeaseStore nicknames;
  private final long nickGraceMs;
  private final int maxGraceLeasesPerUser;

  /**
   * @param nicknames             the nickname lease map's port
   * @param nickGraceMs           grace period of a nickname after an end the client did not choose (ms)
   * @param maxGraceLeasesPerUser nicknames one user may hold in grace at once ({@link NickLeasePolicy#graceOverCap})
   */
  public NickFates(NicknameLeaseStore nicknames, long nickGraceMs, int maxGraceLeasesPerUser) {
    this.nicknames = nicknames;
    this.nickGraceMs = nickGraceMs;
    this.maxGraceLeasesPerUser = maxGraceLeasesPerUser;
  }

  /**
   * Applies one fate to every nickname a session's entry holds: its global one and its room nicknames.
   *
   * @param e    the session's entry (its {@code nickKey} and its memberships' room nicknames)
   * @param fate the policy's decision
   * @param now  epoch ms
   * @return completes when stored; fails only if a fate itself could not be stored (not for the cap)
   */
  public Future<?> applyToAll(PresenceEntry e, NickFate fate, long now) {
    List<String> keys = new ArrayList<>();
    if (e.nickKey() != null) {
      keys.add(e.nickKey());
    }
    for (Map.Entry<String, RoomMembership> room : e.rooms().entrySet()) {
      if (room.getValue().nickKey() != null) {
        keys.add(RoomNicknames.leaseKey(room.getKey(), room.getValue().nickKey()));
      }
    }
    if (keys.isEmpty() || fate == NickFate.KEEP) {
      return Future.succeededFuture();
    }
    List<Future<Boolean>> stored = new ArrayList<>(keys.size());
    keys.forEach(key -> stored.add(store(key, e.session(), fate, now)));
    return Future.all(stored).compose(done -> {
      boolean entered = stored.stream().anyMatch(Future::result);
      return fate == NickFate.GRACE && entered && nickGraceMs > 0 ? capGrace(e.user(), now)
          : Future.succeededFuture();
    });
  }

  /**
   * Performs a fate for one nickname lease. Both store calls are compare-and-set on the session, so a nickname
   * another session holds by now is left alone. A nickname put in grace is then counted against the user's cap.
   *
   * @param key     the lease key (a global nickname's, or {@link RoomNicknames#leaseKey}), or {@code null}
   * @param session the session whose lease it was
   * @param user    the session's user
   * @param fate    the policy's decision
   * @param now     epoch ms
   * @return completes when stored; fails only if the fate itself could not be stored (not for the cap)
   */
  public Future<?> apply(String key, String session, String user, NickFate fate, long now) {
    if (key == null || fate == NickFate.KEEP) {
      return Future.succeededFuture();
    }
    return store(key, session, fate, now).compose(entered -> fate == NickFate.GRACE && entered && nickGraceMs > 0
        ? capGrace(user, now) : Future.succeededFuture());
  }

  private Future<Boolean> store(String key, String session, NickFate fate, long now) {
    return fate == NickFate.FREE ? nicknames.release(key, session, now).map(false)
        : nicknames.enterGrace(key, session, now, nickGraceMs);
  }

  /**
   * Holds the user to {@code PRESENCE_MAX_GRACE_LEASES_PER_USER} nicknames in grace after one more entered it: reads
   * the user's leases (one indexed query; room nicknames count too, they are leases of the same map) and releases
   * the oldest reservations beyond the cap, each by its own session (compare-and-set: a nickname taken back
   * meanwhile stays). Not one atomic step across nicknames: ends of the same user running at the same moment may
   * each miss the other's new reservation (the query reads partition by partition), so the user may hold up to the
   * cap plus the number of its sessions that ended together, minus one, until its next end trims them or their grace
   * ends. A failure here is logged and the end goes on: the reservations still end with their grace period.
   */
  private Future<?> capGrace(String user, long now) {
    return nicknames.findByUser(user).compose(leases -> {
      List<NickLease> over = NickLeasePolicy.graceOverCap(leases, user, maxGraceLeasesPerUser, now);
      List<Future<Boolean>> releases = new ArrayList<>(over.size());
      for (NickLease lease : over) {
        LOG.atInfo().setMessage("nickname freed from grace: over the user's cap").addKeyValue("nick", lease.nick())
            .addKeyValue("user", user).addKeyValue("session", lease.holder().session())
            .addKeyValue("cap", maxGraceLeasesPerUser).log();
        releases.add(nicknames.release(lease.key(), lease.holder().session(), now));
      }
      return Future.join(releases);
    }).recover(failure -> {
      LOG.warn("grace cap of user {} not applied (its reservations end with their grace period): {}", user,
          failure.toString());
      return Future.succeededFuture();
    });
  }
}
