package dev.presence.config;


/**
 * The validated settings of one presence node. Immutable; safe to share between threads.
 *
 * <p>Every duration is in milliseconds and every size in bytes, as in the environment variables that
 * set them (see {@link PresenceConfigLoader}). Construction validates the relations between values, so a
 * node never starts with a timeout it cannot honour.
 *
 * @param httpHost            address the HTTP/WebSocket listener binds to
 * @param httpPort            HTTP/WebSocket port (0-65535; 0 only for tests that bind any free port)
 * @param heartbeatIntervalMs how often the server sends a WebSocket ping to each session (ms)
 * @param heartbeatTimeoutMs  a session from which nothing arrived for this long is evicted (ms)
 * @param nickGraceMs         how long a nickname stays reserved for its user after an abnormal disconnect (ms)
 * @param helloTimeoutMs      time a new connection has to send {@code hello} (ms)
 * @param maxMessageBytes     largest accepted WebSocket message (bytes); larger ones are closed with 1009
 * @param whoLimit            most sessions one {@code who} answer lists
 * @param verticleInstances   WebSocket verticle instances (event loops owning connections)
 * @param drainTimeoutMs      longest a shutdown may take to close sessions and leave the cluster (ms)
 * @param cluster             how the node joins its cluster
 * @param auth                who may connect and how they prove it
 * @param limits              abuse limits
 * @param activity            idle time and last-seen retention
 * @param resumeTokenTtlMs    how long a resume token is valid after the {@code welcome} that carried it (ms);
 *                            at least {@link #minResumeTokenTtlMs()}
 * @param listener            the public listener: PROXY protocol, trusted proxies, idle timeout
 * @param tls                 TLS on the HTTP/WebSocket listener ({@link TlsSettings#OFF} for plain ws://)
 * @param rooms               room limits (docs/protocol.md, "Rooms")
 * @param admin               the internal listener: health, metrics and the read API (docs/security.md)
 */
public record PresenceConfig(
    String httpHost,
    int httpPort,
    long heartbeatIntervalMs,
    long heartbeatTimeoutMs,
    long nickGraceMs,
    long helloTimeoutMs,
    int maxMessageBytes,
    int whoLimit,
    int verticleInstances,
    long drainTimeoutMs,
    ClusterSettings cluster,
    AuthSettings auth,
    LimitSettings limits,
    ActivitySettings activity,
    long resumeTokenTtlMs,
    ListenerSettings listener,
    TlsSettings tls,
    RoomSettings rooms,
    AdminSettings admin) {

  /** Default of {@code PRESENCE_RESUME_TOKEN_TTL_MS} (ms): a day. */
  public static final long DEFAULT_RESUME_TOKEN_TTL_MS = 86_400_000L;

  /** Longest accepted {@code PRESENCE_RESUME_TOKEN_TTL_MS} (ms): 7 days, so it may exceed any grace period. */
  public static final long MAX_RESUME_TOKEN_TTL_MS = 7 * 86_400_000L;


  /** Settings with the default validity of resume tokens, without TLS. */
  public PresenceConfig(String httpHost, int httpPort, long heartbeatIntervalMs, long heartbeatTimeoutMs,
      long nickGraceMs, long helloTimeoutMs, int maxMessageBytes, int whoLimit, int verticleInstances,
      long drainTimeoutMs, ClusterSettings cluster, AuthSettings auth, LimitSettings limits,
      ActivitySettings activity) {
    this(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs, helloTimeoutMs, maxMessageBytes,
        whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity, DEFAULT_RESUME_TOKEN_TTL_MS);
  }

  /**
   * Settings with the default listener (no PROXY protocol, no trusted proxies, 30 s idle timeout), without
   * TLS (plain ws://), and the admin listener on 127.0.0.1 at a free port without API keys (tests).
   */
  public PresenceConfig(String httpHost, int httpPort, long heartbeatIntervalMs, long heartbeatTimeoutMs,
      long nickGraceMs, long helloTimeoutMs, int maxMessageBytes, int whoLimit, int verticleInstances,
      long drainTimeoutMs, ClusterSettings cluster, AuthSettings auth, LimitSettings limits,
      ActivitySettings activity, long resumeTokenTtlMs) {
    this(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs, helloTimeoutMs, maxMessageBytes,
        whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity, resumeTokenTtlMs,
        ListenerSettings.defaults(), TlsSettings.OFF, RoomSettings.defaults(), AdminSettings.loopbackAnyPort());
  }

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the environment variable whose value is wrong
   */
  public PresenceConfig {
    requirePort("PRESENCE_HTTP_PORT", httpPort, true);
    requirePositive("PRESENCE_HEARTBEAT_INTERVAL_MS", heartbeatIntervalMs);
    requirePositive("PRESENCE_HELLO_TIMEOUT_MS", helloTimeoutMs);
    requireAtMostADay("PRESENCE_HEARTBEAT_INTERVAL_MS", heartbeatIntervalMs);
    requireAtMostADay("PRESENCE_HEARTBEAT_TIMEOUT_MS", heartbeatTimeoutMs);
    requireAtMostADay("PRESENCE_NICK_GRACE_MS", nickGraceMs);
    requireAtMostADay("PRESENCE_HELLO_TIMEOUT_MS", helloTimeoutMs);
    requirePositive("PRESENCE_DRAIN_TIMEOUT_MS", drainTimeoutMs);
    requireAtMostADay("PRESENCE_DRAIN_TIMEOUT_MS", drainTimeoutMs);
    long checkPeriod = Math.max(10, Math.min(1_000, heartbeatIntervalMs / 2));
    if (heartbeatTimeoutMs <= heartbeatIntervalMs + checkPeriod) {
      // Pings go out up to one check period late; a timeout not above that gap evicts healthy clients
      // (and makes clients that follow the silent-server rule drop healthy connections).
      throw new IllegalArgumentException("PRESENCE_HEARTBEAT_TIMEOUT_MS (" + heartbeatTimeoutMs
          + ") must be larger than PRESENCE_HEARTBEAT_INTERVAL_MS (" + heartbeatIntervalMs
          + ") plus the heartbeat check period (" + checkPeriod + ")");
    }
    if (nickGraceMs < heartbeatTimeoutMs) {
      // The uniqueness argument (docs/consistency.md): a client cut off from its node stops believing it
      // holds its nickname at most one heartbeat timeout after the last thing it heard; another user can
      // get the nickname only after the grace period. Grace shorter than the timeout lets both believe.
      throw new IllegalArgumentException("PRESENCE_NICK_GRACE_MS (" + nickGraceMs
          + ") must be at least PRESENCE_HEARTBEAT_TIMEOUT_MS (" + heartbeatTimeoutMs
          + "): a cut-off client may believe it holds its nickname for that long (docs/consistency.md)");
    }
    if (maxMessageBytes < 256 || maxMessageBytes > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("PRESENCE_MAX_MESSAGE_BYTES must be within 256.." + MAX_FRAME_BYTES
          + ", was " + maxMessageBytes);
    }
    requireResumeTokenTtl(resumeTokenTtlMs, nickGraceMs + heartbeatTimeoutMs + checkPeriod);
    requirePositive("PRESENCE_WHO_LIMIT", whoLimit);
    requirePositive("PRESENCE_VERTICLE_INSTANCES", verticleInstances);
    requireText("PRESENCE_HTTP_HOST", httpHost);
    if (cluster == null || auth == null || limits == null || activity == null || listener == null || tls == null
        || rooms == null || admin == null) {
      throw new IllegalArgumentException("cluster, auth, limit, activity, listener, TLS, room and admin settings are"
          + " required");
    }
    if (admin.port() != 0 && admin.port() == httpPort) {
      // One port cannot be both listeners: the public one must not serve what the admin one guards.
      throw new IllegalArgumentException("PRESENCE_ADMIN_PORT must differ from PRESENCE_HTTP_PORT (" + httpPort
          + "): the read API, health and metrics must not be reachable where /ws is");
    }
    auth.checkListener(httpHost);
  }

  /**
   * A resume token must outlive the longest hold that can follow the {@code welcome} that carried it: a connection
   * lost right after it is noticed up to a heartbeat timeout (plus a check period) later, and then held for the
   * grace period. A shorter validity would refuse resumes the hold still allows, and only to sessions that
   * dropped early, which looks like a random failure.
   */
  private static void requireResumeTokenTtl(long ttlMs, long minMs) {
    if (ttlMs < minMs || ttlMs > MAX_RESUME_TOKEN_TTL_MS) {
      throw new IllegalArgumentException("PRESENCE_RESUME_TOKEN_TTL_MS (" + ttlMs + ") must be within " + minMs
          + " (PRESENCE_NICK_GRACE_MS + PRESENCE_HEARTBEAT_TIMEOUT_MS + the heartbeat check period) and "
          + MAX_RESUME_TOKEN_TTL_MS + " (7 days)");
    }
  }

  /**
   * @return the shortest accepted validity of resume tokens (ms): grace period + heartbeat timeout + check period
   */
  public long minResumeTokenTtlMs() {
    return nickGraceMs + heartbeatTimeoutMs + heartbeatCheckPeriodMs();
  }

  /**
   * Hard cap on one WebSocket frame (bytes). Netty drops the TCP connection on a larger frame, before
   * buffering it, so memory per connection stays bounded whatever the client sends.
   */
  public static final int MAX_FRAME_BYTES = 65_536;

  /**
   * How often a node renews its leases in one batch (ms): a third of the heartbeat timeout.
   *
   * @return the renewal period in ms
   */
  public long leaseRenewalPeriodMs() {
    return Math.max(1, heartbeatTimeoutMs / 3);
  }

  /**
   * How often each verticle checks its sessions for overdue heartbeats and due pings (ms). Half the ping
   * interval, at most 1 s, so a silent session is evicted within timeout + 1 s.
   *
   * @return the check period in ms
   */
  public long heartbeatCheckPeriodMs() {
    return Math.max(10, Math.min(1_000, heartbeatIntervalMs / 2));
  }

  /**
   * A presence entry whose last heartbeat is older than this (ms) is stale: its owner would have evicted
   * it at the timeout and renewed it within one renewal period, so only a dead, paused or stalled owner
   * leaves it.
   *
   * @return the staleness threshold in ms
   */
  public long staleAfterMs() {
    return heartbeatTimeoutMs + leaseRenewalPeriodMs() + heartbeatCheckPeriodMs();
  }

  /**
   * How often each node runs its stale sweep (ms): half a renewal period. A stale entry is then found within
   * half a period of going stale, which leaves the other half of the margin {@link #leaseTtlMs()} keeps over
   * {@link #staleAfterMs()} for its end (removal, leave, nickname into grace) before the leases run out. A sweep
   * every whole period could find the entry just as they ran out, and its nickname would be freed, not reserved.
   *
   * @return the sweep period in ms
   */
  public long staleSweepPeriodMs() {
    return Math.max(1, leaseRenewalPeriodMs() / 2);
  }

  /**
   * Lease TTL of presence entries and held nickname leases (ms): the staleness threshold plus one
   * renewal period. Longer than {@link #staleAfterMs()} on purpose: the sweep ({@link #staleSweepPeriodMs()})
   * must find a stale entry (and publish its leave and put its nickname into grace) before the
   * TTL silently drops it.
   *
   * @return the TTL in ms
   */
  public long leaseTtlMs() {
    return staleAfterMs() + leaseRenewalPeriodMs();
  }

  /**
   * The same settings with another HTTP port; used to start several nodes from one base.
   *
   * @param port the HTTP port
   * @return a copy
   */
  public PresenceConfig withHttpPort(int port) {
    return new PresenceConfig(httpHost, port, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity,
        resumeTokenTtlMs, listener, tls, rooms, admin);
  }

  /**
   * The same settings with another number of WebSocket verticle instances; used by tests that need every
   * connection on one event loop.
   *
   * @param instances verticle instances (event loops owning connections), at least 1
   * @return a copy
   */
  public PresenceConfig withVerticleInstances(int instances) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, instances, drainTimeoutMs, cluster, auth, limits, activity,
        resumeTokenTtlMs, listener, tls, rooms, admin);
  }

  /**
   * The same settings with other auth and limit settings; used by tests.
   *
   * @param newAuth   auth settings
   * @param newLimits limit settings
   * @return a copy
   */
  public PresenceConfig with(AuthSettings newAuth, LimitSettings newLimits) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, newAuth, newLimits,
        activity, resumeTokenTtlMs, listener, tls, rooms, admin);
  }

  /**
   * The same settings with other activity timings; used by tests.
   *
   * @param newActivity idle time and last-seen retention
   * @return a copy
   */
  public PresenceConfig with(ActivitySettings newActivity) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits,
        newActivity, resumeTokenTtlMs, listener, tls, rooms, admin);
  }

  /**
   * The same settings with other cluster settings; used by tests.
   *
   * @param newCluster how the node joins its cluster
   * @return a copy
   */
  public PresenceConfig with(ClusterSettings newCluster) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, newCluster, auth, limits,
        activity, resumeTokenTtlMs, listener, tls, rooms, admin);
  }

  /**
   * The same settings with another validity of resume tokens; used by tests.
   *
   * @param ttlMs how long a resume token is valid after it was issued (ms)
   * @return a copy
   */
  public PresenceConfig withResumeTokenTtlMs(long ttlMs) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity,
        ttlMs, listener, tls, rooms, admin);
  }

  /**
   * The same settings with another public listener; used by tests.
   *
   * @param newListener PROXY protocol, trusted proxies, idle timeout
   * @return a copy
   */
  public PresenceConfig with(ListenerSettings newListener) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity,
        resumeTokenTtlMs, newListener, tls, rooms, admin);
  }

  /**
   * The same settings with TLS on the listener (or off); used by tests.
   *
   * @param newTls TLS settings, {@link TlsSettings#OFF} for plain ws://
   * @return a copy
   */
  public PresenceConfig withTls(TlsSettings newTls) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity,
        resumeTokenTtlMs, listener, newTls, rooms, admin);
  }

  /**
   * The same settings with other room limits; used by tests.
   *
   * @param newRooms room limits
   * @return a copy
   */
  public PresenceConfig with(RoomSettings newRooms) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity,
        resumeTokenTtlMs, listener, tls, newRooms, admin);
  }

  /**
   * The same settings with another admin listener; used by tests.
   *
   * @param newAdmin address, port and API keys of the internal listener
   * @return a copy
   */
  public PresenceConfig with(AdminSettings newAdmin) {
    return new PresenceConfig(httpHost, httpPort, heartbeatIntervalMs, heartbeatTimeoutMs, nickGraceMs,
        helloTimeoutMs, maxMessageBytes, whoLimit, verticleInstances, drainTimeoutMs, cluster, auth, limits, activity,
        resumeTokenTtlMs, listener, tls, rooms, newAdmin);
  }

  /** Longest accepted duration (ms): a day. Keeps {@code now + ttl} far from overflow. */
  public static final long MAX_DURATION_MS = 86_400_000L;

  static void requirePort(String key, int port, boolean allowZero) {
    int min = allowZero ? 0 : 1;
    if (port < min || port > 65_535) {
      throw new IllegalArgumentException(key + " must be a port within " + min + "..65535, was " + port);
    }
  }

  private static void requireAtMostADay(String key, long valueMs) {
    if (valueMs > MAX_DURATION_MS) {
      throw new IllegalArgumentException(key + " must be at most " + MAX_DURATION_MS + " ms (a day), was "
          + valueMs);
    }
  }

  static void requirePositive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, was " + value);
    }
  }

  static void requireText(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
  }
}
