package dev.presence.metrics;

import dev.presence.presence.LoopStall;
import dev.presence.presence.PresenceMetrics;
import dev.presence.session.LeaveReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's metrics: a Prometheus registry of its own (several nodes may share a JVM in tests) that
 * carries Vert.x's and the JVM's metrics (vertx-micrometer-metrics) and the service's, named the
 * Prometheus way (base units, {@code _total}, {@code _seconds}):
 * <ul>
 *   <li>{@code presence_sessions} gauge: sessions on this node;</li>
 *   <li>{@code presence_rooms_occupied} gauge: occupied rooms whose record this node's member owns;
 *   {@code presence_room_joins_total}, {@code presence_room_leaves_total{reason}}: memberships added and ended here;
 *   {@code presence_room_memberships} gauge: memberships of this node's sessions; {@code presence_room_watches{mode}}
 *   gauge: room watches on this node by what they get ({@code members}, or {@code counts}: a large room or a
 *   counts-only watch); {@code presence_rooms_large} gauge: large rooms (counts mode) watched on this node;
 *   {@code presence_watch_queued_bytes} gauge: presence frames (room watches and subscriptions) not yet written to
 *   clients' sockets;</li>
 *   <li>{@code presence_connections_opened_total};</li>
 *   <li>{@code presence_evictions_total{reason}}: sessions ended and cleaned up by this node, by leave
 *       reason (the protocol's wire names: bye, closed, reset, heartbeat_timeout, send_failed, takeover,
 *       expired, evicted, node_lost, shutdown, protocol_error, server_error);</li>
 *   <li>{@code presence_nick_claims_total{outcome}}: granted, taken, invalid, unavailable;</li>
 *   <li>{@code presence_refusals_total{code}}: refused connections, sessions and requests by error code
 *       ({@code revoked}: a revoked user or token); {@code presence_revocations_total{kind}}: revocations written
 *       by this node, {@code user} or {@code jti};</li>
 *   <li>{@code presence_heartbeat_rtt_seconds}: histogram, server ping to pong;</li>
 *   <li>{@code presence_lease_renewal_seconds}: duration of a batched renewal;</li>
 *   <li>{@code presence_ghost_seconds}: from a session's last heartbeat to its eviction;</li>
 *   <li>{@code presence_event_loop_stalls_total{cause}}: heartbeat timers that ticked past the pause threshold, by
 *       cause ({@link LoopStall}): {@code process_paused} (the whole process stood still) and {@code loop_stalled} (the
 *       loop stood still long enough for its entries to be swept elsewhere) re-checked every lease; {@code loop_busy}
 *       (the loop had more work than CPU) changed nothing;</li>
 *   <li>{@code presence_forwarded_header_invalid_total}: upgrade requests from a trusted proxy whose forwarding
 *       header could not be read, so the proxy's own address was counted (see {@code ClientAddressPolicy}).</li>
 * </ul>
 * Thread-safe.
 */
public final class NodeMetrics implements PresenceMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // A registry name of its own keeps Vert.x from sharing one backend between nodes in the same JVM.
  private final String registryName = "presence-" + UUID.randomUUID();
  private final Counter connectionsOpened;
  private final Counter subscriptionResyncs;
  private final Counter forwardedHeaderInvalid;
  private final Counter roomJoins;
  private final Counter roomViewCorrections;
  private final Counter roomWatchResyncs;
  private final Map<String, Counter> roomLeaves = new ConcurrentHashMap<>();
  /** Per event loop (a verticle's key), what its last pass found; the gauges sum them (the union for large rooms). */
  private final Map<Object, Long> membershipsByLoop = new ConcurrentHashMap<>();
  private final Map<Object, RoomWatchTally> roomWatchesByLoop = new ConcurrentHashMap<>();
  private final Map<LeaveReason, Counter> evictions = new EnumMap<>(LeaveReason.class);
  private final Map<String, Counter> claims = new ConcurrentHashMap<>();
  private final Map<String, Counter> storeOperations = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Map<String, Counter> revocations = new ConcurrentHashMap<>();
  private final Map<LoopStall, Counter> eventLoopStalls = new EnumMap<>(LoopStall.class);
  private final Timer heartbeatRtt;
  private final Timer leaseRenewal;
  private final Timer ghost;

  /** @param sessions the node-wide session gauge */
  public NodeMetrics(AtomicInteger sessions) {
    Gauge.builder("presence.sessions", sessions, AtomicInteger::get)
        .description("Sessions held by this node").register(registry);
    connectionsOpened = Counter.builder("presence.connections.opened")
        .description("WebSocket connections accepted").register(registry);
    roomJoins = Counter.builder("presence.room.joins")
        .description("Room memberships added by this node (a repeated join does not count)").register(registry);
    subscriptionResyncs = Counter.builder("presence.subscription.resyncs")
        .description("Presence subscribers that fell behind and were sent presence.resync").register(registry);
    roomViewCorrections = Counter.builder("presence.room.view.corrections")
        .description("Room members added to or removed from a node's room view because a check against the cluster "
            + "found an event missed").register(registry);
    roomWatchResyncs = Counter.builder("presence.room.watch.resyncs")
        .description("Room watchers that fell behind and were sent presence.resync for a room").register(registry);
    Gauge.builder("presence.room.memberships", membershipsByLoop,
        m -> m.values().stream().mapToLong(Long::longValue).sum())
        .description("Room memberships of this node's sessions (sum over nodes for the cluster's), as of each event "
            + "loop's last lease renewal").register(registry);
    Gauge.builder("presence.room.watches", roomWatchesByLoop,
        m -> m.values().stream().mapToLong(RoomWatchTally::members).sum()).tag("mode", "members")
        .description("Room watches on this node that get members and diffs").register(registry);
    Gauge.builder("presence.room.watches", roomWatchesByLoop,
        m -> m.values().stream().mapToLong(RoomWatchTally::counts).sum()).tag("mode", "counts")
        .description("Room watches on this node that get counts only (a large room, or a counts-only watch)")
        .register(registry);
    Gauge.builder("presence.rooms.large", roomWatchesByLoop,
        m -> m.values().stream().flatMap(t -> t.largeRooms().stream()).distinct().count())
        .description("Large rooms (above PRESENCE_ROOM_LARGE members: watchers get counts) watched on this node")
        .register(registry);
    forwardedHeaderInvalid = Counter.builder("presence.forwarded.header.invalid")
        .description("Upgrade requests from a trusted proxy whose forwarding header could not be read")
        .register(registry);
    for (LoopStall stall : LoopStall.values()) {
      eventLoopStalls.put(stall, Counter.builder("presence.event.loop.stalls").tag("cause", stall.metricName())
          .description("Heartbeat timers that ticked past the pause threshold, by cause").register(registry));
    }
    for (LeaveReason reason : LeaveReason.values()) {
      evictions.put(reason, Counter.builder("presence.evictions").tag("reason", reason.wireName())
          .description("Sessions ended and cleaned up by this node, by reason").register(registry));
    }
    heartbeatRtt = Timer.builder("presence.heartbeat.rtt").description("Server ping to client pong")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    leaseRenewal = Timer.builder("presence.lease.renewal").description("Batched lease renewal duration")
        .publishPercentileHistogram().register(registry);
    ghost = Timer.builder("presence.ghost").description("Last heartbeat to eviction")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
  }

  /** @return the Vert.x metrics options that feed this registry (JVM metrics included) */
  public MicrometerMetricsOptions vertxOptions() {
    return vertxOptions(false);
  }

  /**
   * The Vert.x metrics options that feed this registry, without Vert.x's HTTP server metrics
   * ({@code vertx_http_server_*}) when the listener speaks the PROXY protocol. Why: in Vert.x 5.0.10 the HTTP server's
   * metrics read the connection's remote address once, from the TCP socket Vert.x builds the HTTP connection on, and
   * that read consumes the PROXY protocol's address (a channel attribute taken with {@code getAndSet(null)}), so the
   * HTTP request then reports the proxy's address and every client behind the load balancer would share one per-IP
   * count. {@code ClientAddressIT} fails if that ever comes back.
   *
   * @param proxyProtocol whether the public listener expects PROXY protocol headers
   * @return the options
   */
  public MicrometerMetricsOptions vertxOptions(boolean proxyProtocol) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return proxyProtocol ? options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER) : options;
  }

  /** @return the factory that makes Vert.x report into this registry */
  public VertxMetricsFactory vertxFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** @return the handler serving the Prometheus text format of this registry */
  public Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  /**
   * A presence subscriber fell behind (its queue or its socket was full) and was told {@code presence.resync}.
   * Thread-safe.
   */
  public void subscriptionResync() {
    subscriptionResyncs.increment();
  }

  /**
   * Counts members a room view check corrected ({@code presence_room_view_corrections_total}): each is an event the
   * node missed. Event loop; never blocks.
   *
   * @param members how many members were added or removed
   */
  public void roomViewCorrected(int members) {
    roomViewCorrections.increment(members);
  }

  /** Counts a room watcher sent {@code presence.resync} ({@code presence_room_watch_resyncs_total}). Event loop. */
  public void roomWatchResync() {
    roomWatchResyncs.increment();
  }

  /**
   * Counts an event loop's heartbeat timer that ticked past the pause threshold. Thread-safe.
   *
   * @param stall what the late tick meant
   */
  public void eventLoopStall(LoopStall stall) {
    eventLoopStalls.get(stall).increment();
  }

  /**
   * A trusted proxy sent a forwarding header that could not be read, so the connection was counted under the
   * proxy's address. Thread-safe.
   */
  public void forwardedHeaderInvalid() {
    forwardedHeaderInvalid.increment();
  }

  @Override
  public void connectionOpened() {
    connectionsOpened.increment();
  }

  @Override
  public void sessionEnded(LeaveReason reason, long sinceLastHeartbeatMs) {
    evictions.get(reason).increment();
    if (sinceLastHeartbeatMs >= 0) {
      ghost.record(sinceLastHeartbeatMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void nickClaim(String outcome) {
    claims.computeIfAbsent(outcome, o -> Counter.builder("presence.nick.claims").tag("outcome", o)
        .description("Nickname requests by outcome").register(registry)).increment();
  }

  /**
   * What one event loop's room watches are as of its last tick, for {@code presence_room_watches{mode}} and
   * {@code presence_rooms_large}.
   *
   * @param members    watches that get members and diffs
   * @param counts     watches that get counts only (a large room, or a counts-only watch)
   * @param largeRooms the large rooms among the watched ones
   */
  public record RoomWatchTally(long members, long counts, java.util.Set<String> largeRooms) {
  }

  /**
   * Sets one event loop's share of {@code presence_room_memberships}: the memberships of its sessions, counted in its
   * periodic pass over them (the lease renewal). Called from that event loop; never blocks.
   *
   * @param loop        the verticle's key (the same object at every call, {@link #forgetLoop} at its stop)
   * @param memberships room memberships of its sessions
   */
  public void roomMemberships(Object loop, long memberships) {
    membershipsByLoop.put(loop, memberships);
  }

  /**
   * Sets one owner's share of {@code presence_room_watches{mode}} and {@code presence_rooms_large}, from its periodic
   * room tick (the node's room watches have one owner, on its own context). Called from that context; never blocks.
   *
   * @param loop  the owner's key
   * @param tally what its watches are now
   */
  public void roomWatches(Object loop, RoomWatchTally tally) {
    roomWatchesByLoop.put(loop, tally);
  }

  /**
   * Forgets a stopped verticle's shares of the room gauges. Any thread.
   *
   * @param loop the verticle's key
   */
  public void forgetLoop(Object loop) {
    membershipsByLoop.remove(loop);
    roomWatchesByLoop.remove(loop);
  }

  /** Counts one room membership added by this node ({@code presence_room_joins_total}). */
  @Override
  public void roomJoined() {
    roomJoins.increment();
  }

  /**
   * Counts one room membership ended by this node, by reason ({@code presence_room_leaves_total{reason}}: {@code left},
   * {@code kicked} for a kick from the room, or the session's leave reason). Called from event loops; never blocks.
   */
  @Override
  public void roomLeft(String reason) {
    roomLeaves.computeIfAbsent(reason, r -> Counter.builder("presence.room.leaves").tag("reason", r)
        .description("Room memberships ended by this node, by reason (left, kicked, or the session's leave reason)")
        .register(registry)).increment();
  }

  @Override
  public void heartbeatRtt(long nanos) {
    heartbeatRtt.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void leaseRenewal(long nanos) {
    leaseRenewal.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void refused(String code) {
    refusals.computeIfAbsent(code, c -> Counter.builder("presence.refusals").tag("code", c)
        .description("Connections, sessions and requests refused by authentication or a limit, by error code")
        .register(registry)).increment();
  }

  @Override
  public void revocationWritten(String kind) {
    revocations.computeIfAbsent(kind, k -> Counter.builder("presence.revocations").tag("kind", k)
        .description("Revocations written by this node (presence.kick with revokeForMs), by kind: user or jti")
        .register(registry)).increment();
  }

  /**
   * Registers {@code presence_rooms_occupied}: occupied rooms whose occupancy records this node's member owns (sum it
   * over the nodes for the cluster's count). Call once, from the composition root.
   *
   * @param ownedRooms reads the count; must not block (it runs during a scrape, on an event loop)
   */
  public void roomsOccupied(java.util.function.LongSupplier ownedRooms) {
    // Held strongly: a gauge keeps its object weakly, and the caller's method reference is held by nothing else (it
    // read NaN after the first collection).
    Gauge.builder("presence.rooms.occupied", ownedRooms, supplier -> supplier.getAsLong())
        .description("Occupied rooms whose occupancy record this node's Hazelcast member owns (sum over nodes)")
        .strongReference(true).register(registry);
  }

  /**
   * Registers {@code presence_watch_queued_bytes}: bytes of presence frames (room watches and presence subscriptions)
   * handed to clients' sockets and not yet written, against {@code PRESENCE_WATCH_BUDGET_BYTES}. Call once per node.
   *
   * @param queuedBytes reads the figure; must not block (it runs during a scrape, on an event loop)
   */
  public void watchQueuedBytes(java.util.function.LongSupplier queuedBytes) {
    // Held strongly, as presence_rooms_occupied.
    Gauge.builder("presence.watch.queued", queuedBytes, supplier -> supplier.getAsLong()).baseUnit("bytes")
        .description("Bytes of presence frames handed to clients' sockets and not yet written").strongReference(true)
        .register(registry);
  }

  /**
   * Counts one call on a Hazelcast map ({@code presence_store_operations_total{map,operation}}); a batched
   * call counts once. Any thread; cheap after the first call per pair (one map lookup).
   *
   * @param map       {@code sessions} or {@code nicknames}
   * @param operation short call name
   */
  public void storeOperation(String map, String operation) {
    storeOperations.computeIfAbsent(map + '/' + operation, k -> Counter.builder("presence.store.operations")
        .tag("map", map).tag("operation", operation)
        .description("Calls this node made on the cluster's Hazelcast maps (a batch counts once)")
        .register(registry)).increment();
  }
}
