package dev.presence.presence;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session slots of one user, cluster-wide: session id → {@link SessionSlot}. This is the value stored
 * per user in the session-slot map; the rules that change it are pure functions of the value and the time
 * (no I/O, no Vert.x, no Hazelcast), run atomically per user by the adapters (a single-key entry processor
 * in Hazelcast). Every rule first drops the slots whose lease has run out, so a session that died without
 * a release (client killed, node killed) stops counting at most one lease TTL after its last renewal.
 * Immutable; the map is sorted by session id so equal values compare and serialize alike.
 *
 * @param slots session id → slot, unmodifiable
 */
public record UserSessionSlots(Map<String, SessionSlot> slots) {

  /** A user without sessions. */
  public static final UserSessionSlots NONE = new UserSessionSlots(Map.of());

  /** Copies {@code slots} into an unmodifiable sorted map. */
  public UserSessionSlots {
    slots = Collections.unmodifiableMap(new TreeMap<>(slots));
  }

  /**
   * What {@link #admit} decided.
   *
   * @param next    the value to store ({@link #isEmpty()} means: remove the user's entry)
   * @param outcome admitted or refused
   */
  public record Admission(UserSessionSlots next, SlotAdmission outcome) {
  }

  /**
   * Decides whether {@code session} may take a slot. Expired slots are dropped first; a session that
   * already holds a live slot is admitted again and its lease restarted (idempotent, so a retried call
   * cannot take two slots); otherwise it is admitted only while fewer than {@code maxSessions} slots are
   * live.
   *
   * @param current     the stored value, or {@code null} if the user has none
   * @param session     the joining session
   * @param node        the node owning it
   * @param maxSessions most live slots the user may hold (≥ 1)
   * @param now         epoch ms
   * @param ttlMs       lease TTL of the slot (ms)
   * @return the next value and the outcome
   */
  public static Admission admit(UserSessionSlots current, String session, String node, int maxSessions, long now,
      long ttlMs) {
    UserSessionSlots live = orNone(current).live(now);
    if (!live.slots.containsKey(session) && live.slots.size() >= maxSessions) {
      return new Admission(live, new SlotAdmission.Refused(live.slots.size()));
    }
    TreeMap<String, SessionSlot> next = new TreeMap<>(live.slots);
    next.put(session, new SessionSlot(node, now + ttlMs));
    return new Admission(new UserSessionSlots(next), new SlotAdmission.Admitted(next.size()));
  }

  /**
   * Frees a session's slot (and drops expired ones).
   *
   * @param current the stored value, or {@code null}
   * @param session the ending session
   * @param now     epoch ms
   * @return the next value; {@link #isEmpty()} means remove the user's entry
   */
  public static UserSessionSlots release(UserSessionSlots current, String session, long now) {
    TreeMap<String, SessionSlot> next = new TreeMap<>(orNone(current).live(now).slots);
    next.remove(session);
    return new UserSessionSlots(next);
  }

  /**
   * Restarts the lease of every live slot owned by {@code node}. Never recreates a slot: one that expired
   * or was released stays gone (its session was swept or ended, and is being closed).
   *
   * @param current the stored value, or {@code null}
   * @param node    the renewing node
   * @param now     epoch ms
   * @param ttlMs   lease TTL (ms)
   * @return the next value; {@link #isEmpty()} means remove the user's entry
   */
  public static UserSessionSlots renew(UserSessionSlots current, String node, long now, long ttlMs) {
    TreeMap<String, SessionSlot> next = new TreeMap<>(orNone(current).live(now).slots);
    next.replaceAll((session, slot) -> slot.node().equals(node) ? new SessionSlot(node, now + ttlMs) : slot);
    return new UserSessionSlots(next);
  }

  /**
   * @param now epoch ms
   * @return this value without the slots whose lease has run out at {@code now}
   */
  public UserSessionSlots live(long now) {
    if (slots.values().stream().allMatch(slot -> slot.isLive(now))) {
      return this;
    }
    TreeMap<String, SessionSlot> kept = new TreeMap<>(slots);
    kept.values().removeIf(slot -> !slot.isLive(now));
    return new UserSessionSlots(kept);
  }

  /** @return true if no slot is held */
  public boolean isEmpty() {
    return slots.isEmpty();
  }

  /** @return the latest expiry among the slots (epoch ms), or {@code Long.MIN_VALUE} if none */
  public long latestExpiry() {
    return slots.values().stream().mapToLong(SessionSlot::expiresAt).max().orElse(Long.MIN_VALUE);
  }

  private static UserSessionSlots orNone(UserSessionSlots value) {
    return value == null ? NONE : value;
  }
}
