package dev.presence.testing;

/**
 * A map value with the TTL of a Hazelcast IMap entry: after {@code expiresAt} (epoch ms of the store's
 * clock) the entry counts as absent. Immutable.
 */
record Expiring<V>(V value, long expiresAt) {

  /** @return a value living {@code ttlMs} from {@code now}; a TTL of 0 or less never expires, as in IMap */
  static <V> Expiring<V> of(V value, long now, long ttlMs) {
    return new Expiring<>(value, ttlMs > 0 ? now + ttlMs : Long.MAX_VALUE);
  }

  /** @return whether a stored value is still there at {@code now} */
  static boolean live(Expiring<?> stored, long now) {
    return stored != null && now < stored.expiresAt;
  }
}
