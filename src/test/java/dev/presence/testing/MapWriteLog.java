package dev.presence.testing;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryEventType;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.presence.PresenceNode;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the writes to one Hazelcast map, per key, as a member sees them: an entry listener registered for the
 * whole cluster (not local-only), so every added, updated or removed event of any partition is delivered to it,
 * whichever member wrote. A write that leaves the value as it was still counts (Hazelcast fires {@code UPDATED}
 * for it), so two records of one fact are two writes. Entries dropped by their TTL are not writes (Hazelcast
 * reports them as expired or evicted, which this log ignores): so a test can tell a value someone removed from
 * one that ran out. Events arrive on Hazelcast's event threads; read from the test thread.
 */
public final class MapWriteLog implements AutoCloseable {

  private final IMap<Object, Object> map;
  private final UUID registration;
  private final Map<Object, List<Write>> writes = new ConcurrentHashMap<>();

  /**
   * One write as the listener received it.
   *
   * @param type       added, updated or removed
   * @param oldValue   the value before ({@code null} when added)
   * @param value      the value after ({@code null} when removed)
   * @param receivedAt epoch ms when the listener got it (at or after the write)
   */
  public record Write(EntryEventType type, Object oldValue, Object value, long receivedAt) {
  }

  private MapWriteLog(HazelcastInstance hazelcast, String mapName) {
    this.map = hazelcast.getMap(mapName);
    this.registration = map.addEntryListener(new Listener(), true);
  }

  /**
   * Starts counting writes to {@code mapName}, through {@code node}'s member (returns once registered).
   *
   * @return the log; close it to unregister
   */
  public static MapWriteLog watch(PresenceNode node, String mapName) {
    return new MapWriteLog(hazelcastOf(node), mapName);
  }

  /** @return the Hazelcast member under a node's clustered Vert.x */
  public static HazelcastInstance hazelcastOf(PresenceNode node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.runtime().vertx()).clusterManager())
        .getHazelcastInstance();
  }

  /** @return the values written under {@code key} so far (added or updated), in arrival order */
  public List<Object> writes(Object key) {
    return changes(key).stream().filter(w -> w.type() != EntryEventType.REMOVED).map(Write::value).toList();
  }

  /** @return every write under {@code key} so far (added, updated, removed), in arrival order */
  public List<Write> changes(Object key) {
    return List.copyOf(writes.getOrDefault(key, List.of()));
  }

  @Override
  public void close() {
    try {
      map.removeEntryListener(registration);
    } catch (RuntimeException e) {
      // The member is gone (the test terminated it): so is the registration.
    }
  }

  private final class Listener implements EntryAddedListener<Object, Object>, EntryUpdatedListener<Object, Object>,
      EntryRemovedListener<Object, Object> {
    @Override
    public void entryAdded(EntryEvent<Object, Object> event) {
      record(event);
    }

    @Override
    public void entryUpdated(EntryEvent<Object, Object> event) {
      record(event);
    }

    @Override
    public void entryRemoved(EntryEvent<Object, Object> event) {
      record(event);
    }

    private void record(EntryEvent<Object, Object> event) {
      writes.computeIfAbsent(event.getKey(), k -> new CopyOnWriteArrayList<>()).add(new Write(event.getEventType(),
          event.getOldValue(), event.getValue(), System.currentTimeMillis()));
    }
  }
}
