package dev.presence.testing;

import dev.presence.auth.Revocation;
import dev.presence.auth.RevocationStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RevocationStore} in one JVM's memory, for unit tests of what reads it (the Hazelcast one is exercised by
 * {@code RevocationIT}). An entry past its end counts as gone, as Hazelcast's TTL would drop it. Thread-safe.
 */
public final class InMemoryRevocationStore implements RevocationStore {

  private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();

  @Override
  public Future<Void> revoke(Revocation revocation, long nowMs) {
    revocations.merge(revocation.key(), revocation, (old, fresh) -> old.untilMs() >= fresh.untilMs() ? old : fresh);
    return Future.succeededFuture();
  }

  @Override
  public Future<Revocation> find(String user, String tokenId, long nowMs) {
    for (String key : new String[] {Revocation.key(Revocation.Kind.USER, user),
        tokenId == null ? null : Revocation.key(Revocation.Kind.JTI, tokenId)}) {
      Revocation found = key == null ? null : revocations.get(key);
      if (found != null && found.untilMs() > nowMs) {
        return Future.succeededFuture(found);
      }
    }
    return Future.succeededFuture();
  }
}
