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
 */
public record LimitSettings(
    int maxConnectionsPerIp,
    int maxSessionsPerUser,
    int messagesPerSecond,
    int messageBurst,
    int rateLimitedBeforeClose,
    int subscriberQueue) {

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
  }

  /** Default of {@link #subscriberQueue()}: a mass disconnect of 1,000 sessions still fits one batch. */
  public static final int DEFAULT_SUBSCRIBER_QUEUE = 1_000;

  /**
   * The limits with the default subscriber queue (callers that predate the setting keep compiling).
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public LimitSettings(int maxConnectionsPerIp, int maxSessionsPerUser, int messagesPerSecond, int messageBurst,
      int rateLimitedBeforeClose) {
    this(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst, rateLimitedBeforeClose,
        DEFAULT_SUBSCRIBER_QUEUE);
  }

  /**
   * @param queue presence changes one subscription may hold unsent
   * @return these limits with another subscriber queue bound
   */
  public LimitSettings withSubscriberQueue(int queue) {
    return new LimitSettings(maxConnectionsPerIp, maxSessionsPerUser, messagesPerSecond, messageBurst,
        rateLimitedBeforeClose, queue);
  }

  /**
   * @return the defaults: 1,000 connections per IP, 10 sessions per user, 20 messages/s, burst 40, close at 50,
   *     1,000 queued presence changes per subscriber
   */
  public static LimitSettings defaults() {
    return new LimitSettings(1_000, 10, 20, 40, 50, DEFAULT_SUBSCRIBER_QUEUE);
  }
}
