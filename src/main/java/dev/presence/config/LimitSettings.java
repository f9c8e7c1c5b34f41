package dev.presence.config;

/**
 * Abuse limits. Immutable; validated on construction. Each refusal has its own error code and metric
 * (docs/protocol.md §5).
 *
 * @param maxConnectionsPerIp   concurrent WebSocket connections one client IP may hold on one node
 *                              ({@code connection_limit}, HTTP 429 before the upgrade)
 * @param maxSessionsPerUser    concurrent sessions one user may hold across the whole cluster ({@code
 *                              session_limit}, close 1008); counted atomically in Hazelcast
 * @param messagesPerSecond     sustained client messages per second per session (token bucket refill rate)
 * @param messageBurst          messages a session may send at once (token bucket capacity)
 * @param rateLimitedBeforeClose refused messages a session may send within 10 s before it is closed with 1008
 *                              (sustained abuse)
 * @param subscriberQueue       presence changes one subscription may hold unsent before its client is told
 *                              {@code presence.resync} and the queue is dropped (bounded memory per subscriber)
 * @param queriesPerSecond      sustained {@code who} and {@code subscribe} requests per second per session (their
 *                              own token bucket: each reads many entries and may answer a megabyte); over it:
 *                              {@code rate_limited}, the request is dropped, the session stays
 * @param queryBurst            {@code who} and {@code subscribe} requests a session may send at once
 * @param statusMinIntervalMs   least time (ms) between two status publishes of one session; changes within it are
 *                              coalesced (the last one is published when the interval ends), 1..60000
 * @param maxGraceLeasesPerUser nicknames one user may hold in their grace period at once, across the cluster: when
 *                              an end puts one more in grace, the user's oldest grace reservations are freed so
 *                              that at most this many stay ({@code NickLeasePolicy#graceOverCap}); without it,
 *                              claim and reset cycles would reserve any number of nicknames
 * @param watchBudgetBytes      most bytes of presence frames (room watches and presence subscriptions) a node holds
 *                              for its clients before they are written ({@code PRESENCE_WATCH_BUDGET_BYTES}, at least
 *                              65,536); beyond it, a watcher or subscriber with frames still unwritten is resynced as
 *                              if its own write queue were full
 */
public record LimitSettings(
    int maxConnectionsPerIp,
    int maxSessionsPerUser,
    int messagesPerSecond,
    int messageBurst,
    int rateLimitedBeforeClose,
    int subscriberQueue,
    int queriesPerSecond,
    int queryBurst,
    long statusMinIntervalMs,
    int maxGraceLeasesPerUser,
    long watchBudgetBytes) {

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public LimitSettings {
    PresenceConfig.requirePositive("PRESENCE_MAX_CONNECTIONS_PER_IP", maxConnectionsPerIp);
    PresenceConfig.requirePositive("PRESENCE_MAX_SESSIONS_PER_USER", maxSessionsPerUser);
    PresenceConfig.requirePositive("PRESENCE_MESSAGE_RATE", messagesPerSecond);
    PresenceConfig.requirePositive("PRESENCE_MESSAGE_BURST", messageBurst);
    PresenceConfig.requirePositive("PRESENCE_RATE_LIMITED_BEFORE_CLOSE", rateLimitedBeforeClose);
    PresenceConfig.requirePositive("PRESENCE_SUBSCRIBER_QUEUE", subscriberQueue);
    PresenceConfig.requirePositive("PRESENCE_QUERY_RATE", queriesPerSecond);
    PresenceConfig.requirePositive("PRESENCE_QUERY_BURST", queryBurst);
    PresenceConfig.requirePositive("PRESENCE_STATUS_MIN_INTERVAL_MS", statusMinIntervalMs);
    PresenceConfig.requirePositive("PRESENCE_MAX_GRACE_LEASES_PER_USER", maxGraceLeasesPerUser);
    if (watchBudgetBytes < MIN_WATCH_BUDGET_BYTES) {
      throw new IllegalArgumentException("PRESENCE_WATCH_BUDGET_BYTES must be at least " + MIN_WATCH_BUDGET_BYTES
          + " bytes, was " + watchBudgetBytes);
    }
    if (statusMinIntervalMs > MAX_STATUS_MIN_INTERVAL_MS) {
      // A status held back longer than this looks lost to the person who set it.
      throw new IllegalArgumentException("PRESENCE_STATUS_MIN_INTERVAL_MS must be at most "
          + MAX_STATUS_MIN_INTERVAL_MS + " ms, was " + statusMinIntervalMs);
    }
  }

  /** Largest {@link #statusMinIntervalMs()} accepted (ms). */
  public static final long MAX_STATUS_MIN_INTERVAL_MS = 60_000;

  /**
   * Default of {@link #queriesPerSecond()}: a client subscribes once when it starts and asks {@code who} now and
   * then; one a second sustained still bounds what one session can make the cluster read (a {@code who} is up to
   * {@code PRESENCE_WHO_LIMIT} entries, about a megabyte with full meta) to about that much per second.
   */
  public static final int DEFAULT_QUERIES_PER_SECOND = 1;

  /**
   * Default of {@link #queryBurst()}: a page load (subscribe, who) with a retry or two, or a contact list changed a
   * few times in a row, passes at once.
   */
  public static final int DEFAULT_QUERY_BURST = 5;

  /**
   * Default of {@link #statusMinIntervalMs()}: a person changes status a few times a minute at most; a client
   * sending 20 a second (with a kilobyte of meta each) reaches every subscriber once a second instead.
   */
  public static final long DEFAULT_STATUS_MIN_INTERVAL_MS = 1_000;

  /**
   * Default of {@link #maxGraceLeasesPerUser()}: a person reconnecting from a phone, a laptop and a tab after a
   * network change gets every nickname back; a script cycling claim and reset reserves no more than three.
   */
  public static final int DEFAULT_MAX_GRACE_LEASES_PER_USER = 3;

  /** Default of {@link #subscriberQueue()}: a mass disconnect of 1,000 sessions still fits one batch. */
  public static final int DEFAULT_SUBSCRIBER_QUEUE = 1_000;

  /**
   * Default of {@link #watchBudgetBytes()}: 64 MiB, a twelfth of the heap the node's image gives a 1 GiB pod
   * (MaxRAMPercentage 75), and about 3.4 KiB per client for 19,000 of them, a few frames each.
   */
  public static final long DEFAULT_WATCH_BUDGET_BYTES = 64L << 20;

  /** Least {@link #watchBudgetBytes()}: one socket's own high-water mark (Netty's default). */
  public static final long MIN_WATCH_BUDGET_BYTES = 64L << 10;

  /**
   * The limits with the default watch budget.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public LimitSettings(int maxConnectionsPerIp, int maxSessionsPerUser, int messagesPerSecond, int messageBurst,
      int rateLimitedBeforeClose, int subscriberQueue, int queriesPerSecond, int queryBurst, long statusMinIntervalMs,
      int maxGraceLeasesPerUser) {
    this(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst, rateLimitedBeforeClose,
        subscriberQueue, queriesPerSecond, queryBurst, statusMinIntervalMs, maxGraceLeasesPerUser,
        DEFAULT_WATCH_BUDGET_BYTES);
  }

  /**
   * The limits with the default subscriber queue, query budget, status interval, grace-lease cap and watch budget
   * (callers that predate those settings keep compiling).
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public LimitSettings(int maxConnectionsPerIp, int maxSessionsPerUser, int messagesPerSecond, int messageBurst,
      int rateLimitedBeforeClose) {
    this(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst, rateLimitedBeforeClose,
        DEFAULT_SUBSCRIBER_QUEUE, DEFAULT_QUERIES_PER_SECOND, DEFAULT_QUERY_BURST, DEFAULT_STATUS_MIN_INTERVAL_MS,
        DEFAULT_MAX_GRACE_LEASES_PER_USER, DEFAULT_WATCH_BUDGET_BYTES);
  }

  /**
   * @param queue presence changes one subscription may hold unsent
   * @return these limits with another subscriber queue bound
   */
  public LimitSettings withSubscriberQueue(int queue) {
    return new LimitSettings(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst,
        rateLimitedBeforeClose, queue, queriesPerSecond, queryBurst, statusMinIntervalMs, maxGraceLeasesPerUser,
        watchBudgetBytes);
  }

  /**
   * @param perSecond sustained {@code who} and {@code subscribe} requests per second per session
   * @param burst     how many may come at once
   * @return these limits with another query budget
   */
  public LimitSettings withQueryBudget(int perSecond, int burst) {
    return new LimitSettings(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst,
        rateLimitedBeforeClose, subscriberQueue, perSecond, burst, statusMinIntervalMs, maxGraceLeasesPerUser,
        watchBudgetBytes);
  }

  /**
   * @param intervalMs least time (ms) between two status publishes of one session
   * @return these limits with another status interval
   */
  public LimitSettings withStatusMinIntervalMs(long intervalMs) {
    return new LimitSettings(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst,
        rateLimitedBeforeClose, subscriberQueue, queriesPerSecond, queryBurst, intervalMs, maxGraceLeasesPerUser,
        watchBudgetBytes);
  }

  /**
   * @param max nicknames one user may hold in their grace period at once
   * @return these limits with another grace-lease cap
   */
  public LimitSettings withMaxGraceLeasesPerUser(int max) {
    return new LimitSettings(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst,
        rateLimitedBeforeClose, subscriberQueue, queriesPerSecond, queryBurst, statusMinIntervalMs, max,
        watchBudgetBytes);
  }

  /**
   * @param bytes most bytes of presence frames the node holds unwritten for its clients
   * @return these limits with another watch budget
   */
  public LimitSettings withWatchBudgetBytes(long bytes) {
    return new LimitSettings(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst,
        rateLimitedBeforeClose, subscriberQueue, queriesPerSecond, queryBurst, statusMinIntervalMs,
        maxGraceLeasesPerUser, bytes);
  }

  /**
   * @return the defaults: 1,000 connections per IP, 10 sessions per user, 20 messages/s, burst 40, close at 50,
   *     1,000 queued presence changes per subscriber, 1 query/s with a burst of 5, a status publish per second,
   *     3 nicknames in grace per user, 64 MiB of presence frames unwritten
   */
  public static LimitSettings defaults() {
    return new LimitSettings(1_000, 10, 20, 40, 50, DEFAULT_SUBSCRIBER_QUEUE, DEFAULT_QUERIES_PER_SECOND,
        DEFAULT_QUERY_BURST, DEFAULT_STATUS_MIN_INTERVAL_MS, DEFAULT_MAX_GRACE_LEASES_PER_USER,
        DEFAULT_WATCH_BUDGET_BYTES);
  }
}
