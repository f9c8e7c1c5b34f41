package dev.presence.transport;

import dev.presence.auth.Authenticator;
import dev.presence.config.PresenceConfig;
import dev.presence.health.NodeHealth;
import dev.presence.metrics.NodeMetrics;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.presence.PresenceService;
import dev.presence.presence.PresenceStore;
import dev.presence.session.ConnectionsPerIp;
import dev.presence.session.ResumeTokens;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every WebSocket verticle instance of a node, and its admin listener, share. Every component is thread-safe (the session
 * gauge is the only mutable one, and only a number crosses threads, never a connection).
 *
 * @param service       session-level presence operations
 * @param presenceStore presence map port (batched renewal, HTTP reads)
 * @param nicknameStore nickname map port (batched renewal, HTTP reads)
 * @param config        node settings
 * @param sessions      node-wide session gauge
 * @param cluster       membership facts for {@code /health}
 * @param health        liveness, readiness and the draining flag
 * @param metrics       the node's metrics (also served on {@code /metrics})
 * @param clock         wall clock
 * @param auth          who a caller is: tokens or, in development mode, the user it names
 * @param connectionsPerIp node-wide count of open connections per client IP (the per-IP limit)
 * @param resumeTokens  signs and checks resume tokens; empty when sessions are not resumable (no resume key)
 * @param watchBudget   the node's bytes of presence frames not yet written to room watchers and subscribers
 *                      ({@code PRESENCE_WATCH_BUDGET_BYTES})
 */
public record NodeServices(
    PresenceService service,
    PresenceStore presenceStore,
    NicknameLeaseStore nicknameStore,
    PresenceConfig config,
    AtomicInteger sessions,
    ClusterView cluster,
    NodeHealth health,
    NodeMetrics metrics,
    InstantSource clock,
    Authenticator auth,
    ConnectionsPerIp connectionsPerIp,
    Optional<ResumeTokens> resumeTokens,
    WatchBudget watchBudget) {
}
