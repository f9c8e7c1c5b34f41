package dev.presence.presence;

import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.room.RoomOccupancyStore;

/**
 * The cluster-wide maps a node's presence logic works on, as ports. Every component is thread-safe.
 *
 * @param presence  presence entries (session → entry, with a TTL)
 * @param nicknames nickname leases
 * @param slots     per-user session slots (the cluster-wide session limit)
 * @param lastSeen  when each user's last session ended
 * @param rooms     room occupancy (session and user counts per room)
 */
public record PresenceStores(PresenceStore presence, NicknameLeaseStore nicknames, SessionSlotStore slots,
    LastSeenStore lastSeen, RoomOccupancyStore rooms) {
}
