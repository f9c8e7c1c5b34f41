package dev.presence.presence;

import io.vertx.core.Future;
import java.util.OptionalLong;

/**
 * The port to the cluster-wide "last seen" record: per user, when one of its sessions last ended, kept for a
 * configurable time ({@code PRESENCE_LAST_SEEN_TTL_MS}) by the map's TTL. Futures complete on the caller's
 * Vert.x context; infrastructure failures fail them with {@code ClusterStoreException}. Call from a Vert.x
 * context.
 */
public interface LastSeenStore {

  /**
   * Records that a session of {@code user} ended at {@code at}; a later time never loses to an earlier one.
   *
   * @param user  the user
   * @param at    epoch ms
   * @param ttlMs how long the record is kept (ms)
   * @return completes when stored
   */
  Future<Void> record(String user, long at, long ttlMs);

  /**
   * @param user the user
   * @return epoch ms when a session of the user last ended, or empty if unknown (never seen, or forgotten)
   */
  Future<OptionalLong> lastSeen(String user);
}
