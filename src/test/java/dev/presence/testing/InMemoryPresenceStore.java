package dev.presence.testing;

import dev.presence.presence.MembershipWrite;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.PresencePage;
import dev.presence.presence.PresenceStore;
import dev.presence.presence.RestoreResult;
import dev.presence.presence.ResumeOutcome;
import dev.presence.presence.ResumePolicy;
import dev.presence.presence.SessionStatus;
import dev.presence.room.RoomMembership;
import dev.presence.session.ResumeTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The in-memory {@link PresenceStore}: what {@code HazelcastPresenceStore} does to the presence IMap, on a
 * {@link ConcurrentHashMap}. Every write is one atomic {@code compute} on the session's key (the entry
 * processor); an entry whose TTL has passed on the store's clock counts as absent (expiry is applied lazily,
 * on access). Futures complete on the caller's context after a hop through the store's own thread (see
 * {@link OffThreadCompletion}). Thread-safe. Close it to stop that thread.
 */
public final class InMemoryPresenceStore implements PresenceStore, AutoCloseable {

  private final ConcurrentMap<String, Expiring<PresenceEntry>> map = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final OffThreadCompletion completion;

  /**
   * @param vertx the Vert.x instance whose contexts receive the results
   * @param clock the clock TTLs run on (the member's clock in Hazelcast)
   */
  public InMemoryPresenceStore(Vertx vertx, InstantSource clock) {
    this.clock = clock;
    this.completion = new OffThreadCompletion(vertx, "in-memory-presence-store");
  }

  @Override
  public Future<Void> acquire(PresenceEntry entry, long ttlMs) {
    return completion.run("store presence entry", () -> {
      map.put(entry.session(), Expiring.of(entry, clock.millis(), ttlMs));
      return null;
    });
  }

  @Override
  public Future<Set<String>> renewAll(Set<String> sessions, String node, long now, long ttlMs) {
    return completion.run("renew presence leases", () -> {
      Set<String> missing = new HashSet<>();
      for (String session : sessions) {
        AtomicBoolean renewed = new AtomicBoolean();
        map.compute(session, (key, stored) -> {
          PresenceEntry current = liveValue(stored);
          if (current == null || !current.node().equals(node)) {
            return live(stored);
          }
          renewed.set(true);
          return Expiring.of(current.renewed(now), clock.millis(), ttlMs);
        });
        if (!renewed.get()) {
          missing.add(session);
        }
      }
      return missing;
    });
  }

  @Override
  public Future<Optional<PresenceEntry>> hold(String session, long until, long ttlMs) {
    return completion.run("hold presence entry as suspect", () -> {
      AtomicReference<PresenceEntry> held = new AtomicReference<>();
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null || current.isHeld()) {
          return current == null ? null : stored;
        }
        held.set(current.hold(until));
        return Expiring.of(held.get(), clock.millis(), ttlMs);
      });
      return Optional.ofNullable(held.get());
    });
  }

  @Override
  public Future<ResumeOutcome> resume(ResumeTokens.Claim claim, String node, long now, long ttlMs) {
    return completion.run("resume presence entry", () -> {
      AtomicReference<ResumeOutcome> outcome = new AtomicReference<>();
      map.compute(claim.session(), (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        outcome.set(ResumePolicy.decide(current, claim, node, now));
        if (outcome.get() instanceof ResumeOutcome.Resumed resumed) {
          return Expiring.of(resumed.entry(), clock.millis(), ttlMs);
        }
        return current == null ? null : stored;
      });
      return outcome.get();
    });
  }

  @Override
  public Future<Optional<PresenceEntry>> removeIfHeld(String session, long until) {
    return completion.run("end a suspect hold", () -> {
      AtomicReference<PresenceEntry> removed = new AtomicReference<>();
      map.computeIfPresent(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null || current.heldUntil() != until) {
          return current == null ? null : stored;
        }
        removed.set(current);
        return null;
      });
      return Optional.ofNullable(removed.get());
    });
  }

  @Override
  public Future<Optional<PresenceEntry>> setStatus(String session, SessionStatus status) {
    return completion.run("set status on presence entry", () -> {
      AtomicReference<PresenceEntry> updated = new AtomicReference<>();
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null) {
          return null;
        }
        updated.set(current.withStatus(status));
        return new Expiring<>(updated.get(), stored.expiresAt());
      });
      return Optional.ofNullable(updated.get());
    });
  }

  @Override
  public Future<RestoreResult> restore(PresenceEntry entry, long ttlMs) {
    return completion.run("restore presence entry", () -> {
      AtomicReference<RestoreResult> result = new AtomicReference<>();
      map.compute(entry.session(), (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current != null && !current.node().equals(entry.node())) {
          result.set(RestoreResult.MOVED);
          return live(stored);
        }
        result.set(current == null ? RestoreResult.WRITTEN : RestoreResult.ALREADY_OURS);
        PresenceEntry next = current == null ? entry : current.renewed(entry.lastRenewedAt());
        return Expiring.of(next, clock.millis(), ttlMs);
      });
      return result.get();
    });
  }

  @Override
  public Future<Boolean> setNick(String session, String nick, String nickKey) {
    return completion.run("set nickname on presence entry", () -> {
      AtomicBoolean found = new AtomicBoolean();
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null) {
          return null;
        }
        found.set(true);
        return new Expiring<>(current.withNick(nick, nickKey), stored.expiresAt());
      });
      return found.get();
    });
  }

  @Override
  public Future<Optional<PresenceEntry>> remove(String session) {
    return completion.run("remove presence entry", () -> {
      AtomicReference<PresenceEntry> removed = new AtomicReference<>();
      map.compute(session, (key, stored) -> {
        removed.set(liveValue(stored));
        return null;
      });
      return Optional.ofNullable(removed.get());
    });
  }

  @Override
  public Future<Boolean> removeIfUnchanged(String session, long expectedVersion) {
    return completion.run("remove stale presence entry", () -> {
      AtomicBoolean removed = new AtomicBoolean();
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null || current.version() != expectedVersion) {
          return live(stored);
        }
        removed.set(true);
        return null;
      });
      return removed.get();
    });
  }

  @Override
  public Future<List<PresenceEntry>> findStale(long lastRenewedBefore) {
    return query("find stale sessions", e -> e.lastRenewedAt() < lastRenewedBefore);
  }

  @Override
  public Future<List<PresenceEntry>> findByNode(String node) {
    return query("find sessions of node", e -> node.equals(e.node()));
  }

  @Override
  public Future<List<PresenceEntry>> findByUser(String user) {
    return query("find sessions of user", e -> user.equals(e.user()));
  }

  @Override
  public Future<List<PresenceEntry>> findByUsers(Set<String> users) {
    Set<String> wanted = Set.copyOf(users); // copied on the caller's thread: the filter runs on the store's
    return query("find sessions of users", e -> wanted.contains(e.user()));
  }

  @Override
  public Future<Optional<PresenceEntry>> get(String session) {
    return completion.run("read presence entry", () -> Optional.ofNullable(liveValue(map.get(session))));
  }

  @Override
  public Future<PresencePage> list(String after, int limit) {
    return completion.run("list presence", () -> {
      List<PresenceEntry> entries = liveEntries(e -> after == null || e.session().compareTo(after) > 0).stream()
          .sorted(Comparator.comparing(PresenceEntry::session))
          .limit(limit + 1L)
          .toList();
      if (entries.size() <= limit) {
        return new PresencePage(entries, null);
      }
      List<PresenceEntry> shown = entries.subList(0, limit);
      return new PresencePage(List.copyOf(shown), shown.get(limit - 1).session());
    });
  }

  @Override
  public Future<MembershipWrite> joinRoom(String session, String room, RoomMembership membership, int maxRooms) {
    return completion.run("write room membership", () -> {
      AtomicReference<MembershipWrite> result = new AtomicReference<>(MembershipWrite.NO_SESSION);
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null) {
          return null;
        }
        RoomMembership existing = current.rooms().get(room);
        if (existing == null && current.rooms().size() >= maxRooms) {
          result.set(MembershipWrite.ROOM_LIMIT);
          return stored;
        }
        result.set(existing == null ? MembershipWrite.ADDED : MembershipWrite.UPDATED);
        RoomMembership next = existing == null ? membership : existing.withMeta(membership.meta());
        return new Expiring<>(current.withRoom(room, next), stored.expiresAt());
      });
      return result.get();
    });
  }

  @Override
  public Future<Boolean> setRoomNick(String session, String room, String nick, String nickKey, String expectedKey) {
    return completion.run("write room nickname", () -> {
      java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        RoomMembership existing = current == null ? null : current.rooms().get(room);
        if (existing == null || !java.util.Objects.equals(existing.nickKey(), expectedKey)) {
          return live(stored);
        }
        written.set(true);
        return new Expiring<>(current.withRoom(room, existing.withNick(nick, nickKey)), stored.expiresAt());
      });
      return written.get();
    });
  }

  @Override
  public Future<Optional<PresenceEntry>> leaveRoom(String session, String room) {
    return completion.run("remove room membership", () -> {
      AtomicReference<PresenceEntry> before = new AtomicReference<>();
      map.compute(session, (key, stored) -> {
        PresenceEntry current = liveValue(stored);
        if (current == null || !current.inRoom(room)) {
          return live(stored);
        }
        before.set(current);
        return new Expiring<>(current.withoutRoom(room), stored.expiresAt());
      });
      return Optional.ofNullable(before.get());
    });
  }

  @Override
  public Future<PresencePage> listRoom(String room, String after, int limit) {
    return completion.run("list room members", () -> PresencePage.of(
        liveEntries(e -> e.inRoom(room) && (after == null || e.session().compareTo(after) > 0)).stream()
            .sorted(Comparator.comparing(PresenceEntry::session)).limit(limit + 1L).toList(), limit));
  }

  @Override
  public void close() {
    completion.close();
  }

  private Future<List<PresenceEntry>> query(String operation, Predicate<PresenceEntry> filter) {
    return completion.run(operation, () -> liveEntries(filter));
  }

  private List<PresenceEntry> liveEntries(Predicate<PresenceEntry> filter) {
    long now = clock.millis();
    return map.values().stream()
        .filter(stored -> Expiring.live(stored, now))
        .map(Expiring::value)
        .filter(filter)
        .toList();
  }

  private PresenceEntry liveValue(Expiring<PresenceEntry> stored) {
    return Expiring.live(stored, clock.millis()) ? stored.value() : null;
  }

  /** @return the stored value if it is still live, else null: an expired entry is dropped on access */
  private Expiring<PresenceEntry> live(Expiring<PresenceEntry> stored) {
    return Expiring.live(stored, clock.millis()) ? stored : null;
  }
}
